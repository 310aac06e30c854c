package io.monasca.agent.config;

/** The monasca-agent's rules for dimension keys and values (monasca-common validation). */
public final class DimensionRules {
    /** Characters Monasca rejects in dimension keys and values, plus those that would break the statsd line. */
    public static final String FORBIDDEN = "><={},\"\\;&|'\n\r\t#";
    public static final int MAX_LENGTH = 255;

    private DimensionRules() {
    }

    /** Why this key/value pair is not valid, or null when it is. */
    public static String problem(String key, String value) {
        if (key.isEmpty() || value.isEmpty()) {
            return "empty key or value";
        }
        if (key.length() > MAX_LENGTH || value.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        if (key.startsWith("_")) {
            return "key starts with '_'";
        }
        if (hasForbidden(key) || hasForbidden(value) || key.contains(":")) {
            return "contains one of " + FORBIDDEN.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
                    + " (or ':' in the key)";
        }
        return null;
    }

    static boolean hasForbidden(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (FORBIDDEN.indexOf(c) >= 0 || c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
