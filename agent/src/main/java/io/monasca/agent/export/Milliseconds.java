package io.monasca.agent.export;

/**
 * Formats a duration as milliseconds with microsecond resolution, the way Python's {@code str(float)} writes the
 * same number ({@code 12.345}, {@code 5.0}, {@code 0.001}): what the reference client sends, never an exponent.
 * Integer arithmetic only (no BigDecimal to load when a JVM exits right after its first interval).
 */
final class Milliseconds {
    private Milliseconds() {
    }

    /** Below 0.0001 ms Python's {@code str(float)} writes an exponent. */
    private static final long EXPONENT_BELOW_PICOS = 100_000;

    /**
     * Picoseconds as milliseconds to the picosecond, as Python's {@code str(float)} writes the same number
     * ({@code 1.0}, {@code 12.3456789}, {@code 0.0001}, {@code 4.5e-05}): for percentiles, whose stated bound the
     * microseconds of {@link #format} would not keep below 50 us.
     */
    static String formatPicos(long picos) {
        long p = Math.max(0, picos);
        if (p > 0 && p < EXPONENT_BELOW_PICOS) {
            String digits = Long.toString(p);
            int exponent = digits.length() - 1 - 9;
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            String mantissa = end == 1 ? digits.substring(0, 1) : digits.charAt(0) + "." + digits.substring(1, end);
            return mantissa + "e-" + (-exponent < 10 ? "0" : "") + (-exponent);
        }
        // at most 15 significant digits: what a double keeps, so Python writes back exactly these
        for (long unit = 1, digits = Long.toString(p).length(); digits > 15; digits--) {
            unit *= 10;
            if (digits == 16) {
                p = (p + unit / 2) / unit * unit;
            }
        }
        long whole = p / 1_000_000_000L;
        long fraction = p % 1_000_000_000L;
        if (fraction == 0) {
            return whole + ".0";
        }
        String digits = Long.toString(1_000_000_000L + fraction).substring(1);
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        return whole + "." + digits.substring(0, end);
    }

    static String format(long nanos) {
        long micros = nanos <= 0 ? 0 : nanos / 1000 + (nanos % 1000 >= 500 ? 1 : 0); // half up
        long fraction = micros % 1000;
        if (fraction == 0) {
            return (micros / 1000) + ".0";
        }
        StringBuilder text = new StringBuilder(24).append(micros / 1000).append('.');
        if (fraction < 100) {
            text.append('0');
        }
        if (fraction < 10) {
            text.append('0');
        }
        while (fraction % 10 == 0) {
            fraction /= 10; // no trailing zeros: 1.05, not 1.050
        }
        return text.append(fraction).toString();
    }
}
