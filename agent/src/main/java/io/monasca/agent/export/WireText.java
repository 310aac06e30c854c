package io.monasca.agent.export;

import io.monasca.agent.config.DimensionRules;

/**
 * Makes names and dimension values valid for the monasca-agent statsd daemon, which drops the rest of a datagram
 * after one line it cannot parse or validate: forbidden characters become '_', lengths are capped at 255.
 */
final class WireText {
    /** Monasca's forbidden metric-name characters, plus the statsd separators. */
    private static final String FORBIDDEN_IN_NAMES = "><={}(),\"\\;& :|#'";

    private WireText() {
    }

    static String metricName(String name) {
        return clean(name, FORBIDDEN_IN_NAMES, false);
    }

    static String dimensionValue(String value) {
        return clean(value, DimensionRules.FORBIDDEN, false);
    }

    static String dimensionKey(String key) {
        return clean(key, DimensionRules.FORBIDDEN + ":", true);
    }

    private static String clean(String text, String forbidden, boolean key) {
        if (text == null || text.isEmpty()) {
            return "unknown";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), DimensionRules.MAX_LENGTH));
        for (int i = 0; i < text.length() && out.length() < DimensionRules.MAX_LENGTH; i++) {
            char c = text.charAt(i);
            boolean bad = forbidden.indexOf(c) >= 0 || c < 0x20 || c == 0x7f || Character.isSurrogate(c);
            out.append(bad ? '_' : c);
        }
        if (key && out.charAt(0) == '_') {
            out.setCharAt(0, 'x');
        }
        return out.toString();
    }
}
