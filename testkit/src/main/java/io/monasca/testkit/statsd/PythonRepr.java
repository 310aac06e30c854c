package io.monasca.testkit.statsd;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Map;

/**
 * Python 3's {@code str()}/{@code repr()} of the values monasca-statsd puts on the wire, so Java code can
 * build the exact line the Python client would write: {@code str(float)}, {@code repr(str)} and
 * {@code str(dict)} of a flat str-to-str dict.
 */
public final class PythonRepr {

    private PythonRepr() {
    }

    /**
     * Python's {@code repr(float)} (= {@code str(float)}): the shortest decimal that reads back as the same
     * double; plain notation for decimal exponents -4..15, else {@code 1e-05} / {@code 1.5e+16};
     * {@code inf}, {@code -inf}, {@code nan}.
     */
    public static String floatStr(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return (1 / value < 0) ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortestRoundTrip(value);
        BigDecimal stripped = shortest.stripTrailingZeros();
        String digits = stripped.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - stripped.scale(); // decimal exponent of the first digit
        String sign = value < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String exp = String.format("%02d", Math.abs(exponent));
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
        }
        String plain = stripped.abs().toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }

    /**
     * The shortest decimal that parses back to {@code value}; among equally short ones the nearest (what
     * Python's repr picks). Exact decimal arithmetic, so no formatter rounding quirks.
     */
    private static BigDecimal shortestRoundTrip(double value) {
        BigDecimal exact = new BigDecimal(value);
        // Round-tripping is monotonic in the digit count for the nearest rounding: binary search it, with
        // Double.toString's digits (which always round-trip) as the upper bound.
        int low = 1;
        int high = Math.min(17, new BigDecimal(Double.toString(value)).stripTrailingZeros().precision());
        while (low < high) {
            int mid = (low + high) / 2;
            if (roundTrips(exact.round(new MathContext(mid, RoundingMode.HALF_EVEN)), value)) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        // Next to a power of two the round-trip interval is lopsided: one digit fewer may fit on the far side.
        if (low > 1) {
            for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
                BigDecimal shorter = exact.round(new MathContext(low - 1, mode));
                if (roundTrips(shorter, value)) {
                    return shorter;
                }
            }
        }
        return exact.round(new MathContext(low, RoundingMode.HALF_EVEN));
    }

    private static boolean roundTrips(BigDecimal decimal, double value) {
        return Double.parseDouble(decimal.toString()) == value;
    }

    /** Python's {@code repr(str)}: single quotes unless the text has a {@code '} and no {@code "}. */
    public static String strRepr(String text) {
        char quote = text.indexOf('\'') >= 0 && text.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder(text.length() + 2).append(quote);
        text.codePoints().forEach(cp -> {
            if (cp == quote || cp == '\\') {
                out.append('\\').appendCodePoint(cp);
            } else if (cp == '\t') {
                out.append("\\t");
            } else if (cp == '\n') {
                out.append("\\n");
            } else if (cp == '\r') {
                out.append("\\r");
            } else if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\x%02x", cp));
            } else if (cp < 0x7f || isPrintable(cp)) {
                out.appendCodePoint(cp);
            } else if (cp <= 0xff) {
                out.append(String.format("\\x%02x", cp));
            } else if (cp <= 0xffff) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.append(String.format("\\U%08x", cp));
            }
        });
        return out.append(quote).toString();
    }

    /** Python's {@code str(dict)} of str keys and values, in the map's iteration order. */
    public static String dictRepr(Map<String, String> dict) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, String> e : dict.entrySet()) {
            if (out.length() > 1) {
                out.append(", ");
            }
            out.append(strRepr(e.getKey())).append(": ").append(strRepr(e.getValue()));
        }
        return out.append('}').toString();
    }

    /** Python's {@code str.isprintable()} for one code point (Java's Unicode tables, close to Python's). */
    private static boolean isPrintable(int cp) {
        switch (Character.getType(cp)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.SURROGATE:
            case Character.PRIVATE_USE:
            case Character.UNASSIGNED:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
                return false;
            case Character.SPACE_SEPARATOR:
                return cp == ' ';
            default:
                return true;
        }
    }
}
