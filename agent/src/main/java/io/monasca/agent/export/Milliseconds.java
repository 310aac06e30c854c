package io.monasca.agent.export;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Formats a duration as milliseconds with microsecond resolution, the way Python's {@code str(float)} writes the
 * same number ({@code 12.345}, {@code 5.0}, {@code 0.001}): what the reference client sends, never an exponent.
 */
final class Milliseconds {
    private Milliseconds() {
    }

    static String format(long nanos) {
        String text = BigDecimal.valueOf(Math.max(0, nanos))
                .divide(BigDecimal.valueOf(1_000_000), 3, RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
        return text.indexOf('.') < 0 ? text + ".0" : text;
    }
}
