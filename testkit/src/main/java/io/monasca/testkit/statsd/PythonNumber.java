package io.monasca.testkit.statsd;

import java.math.BigInteger;
import java.util.regex.Pattern;

/** Python's {@code int(text)} and {@code float(text)} for the daemon's value and sample-rate fields. */
final class PythonNumber {

    private static final String DIGITS = "[0-9](?:_?[0-9])*";
    private static final Pattern INT = Pattern.compile("[+-]?" + DIGITS);
    private static final Pattern FLOAT = Pattern.compile("[+-]?(?:(?:" + DIGITS + ")?\\.(?:" + DIGITS + ")"
            + "|" + DIGITS + "\\.?)(?:[eE][+-]?" + DIGITS + ")?");
    private static final Pattern SPECIAL = Pattern.compile("[+-]?(?:inf|infinity|nan)", Pattern.CASE_INSENSITIVE);

    private PythonNumber() {
    }

    /** {@code int(text)} (base 10, surrounding whitespace and single underscores allowed), or null. */
    static BigInteger parseInt(String text) {
        String t = text.strip();
        return INT.matcher(t).matches() ? new BigInteger(t.replace("_", "")) : null;
    }

    /** {@code float(text)}, or null when Python would raise ValueError. */
    static Double parseFloat(String text) {
        String t = text.strip();
        if (SPECIAL.matcher(t).matches()) {
            String lower = t.toLowerCase();
            if (lower.endsWith("nan")) {
                return Double.NaN;
            }
            return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return FLOAT.matcher(t).matches() ? Double.valueOf(t.replace("_", "")) : null;
    }

    /**
     * What the daemon does with a value: {@code int(text)}, else {@code float(text)}, else null.
     * A huge int becomes an infinite double (Python would keep it exact, then fail in validation).
     */
    static Double parseIntThenFloat(String text) {
        BigInteger i = parseInt(text);
        return i != null ? Double.valueOf(i.doubleValue()) : parseFloat(text);
    }
}
