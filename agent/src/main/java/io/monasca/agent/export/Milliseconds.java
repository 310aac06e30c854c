package io.monasca.agent.export;

/**
 * Formats a duration as milliseconds with microsecond resolution, the way Python's {@code str(float)} writes the
 * same number ({@code 12.345}, {@code 5.0}, {@code 0.001}): what the reference client sends, never an exponent.
 * Integer arithmetic only (no BigDecimal to load when a JVM exits right after its first interval).
 */
final class Milliseconds {
    private Milliseconds() {
    }

    /**
     * Picoseconds as milliseconds with up to nine decimals and no trailing zeros ({@code 1.0}, {@code 0.000012345}):
     * for percentiles, whose stated bound the microseconds of {@link #format} would not keep below 50 us. No
     * exponent either: Python's {@code float()}, which the daemon uses, reads plain decimals of any length.
     */
    static String formatPicos(long picos) {
        long p = Math.max(0, picos);
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
