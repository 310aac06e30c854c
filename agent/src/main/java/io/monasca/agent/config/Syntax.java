package io.monasca.agent.config;

/**
 * The shapes configuration values must have, checked by hand rather than with regular expressions: the agent
 * parses its settings while the JVM starts, where compiling patterns costs more than the whole rest of the parse.
 */
final class Syntax {
    /** How {@code op.<name>} names are documented: {@code [a-z][a-z0-9_]*}. */
    static final String OPERATION_NAME = "[a-z][a-z0-9_]*";

    private Syntax() {
    }

    static boolean isOperationName(String s) {
        if (s.isEmpty() || s.charAt(0) < 'a' || s.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '_') {
                return false;
            }
        }
        return true;
    }

    /** A Java identifier (letters, digits, '_' and '$'; not starting with a digit). */
    static boolean isIdentifier(String s) {
        if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (!Character.isJavaIdentifierPart(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code a.b.C}: identifiers joined by dots. */
    static boolean isQualifiedName(String s) {
        int from = 0;
        for (int dot; (dot = s.indexOf('.', from)) >= 0; from = dot + 1) {
            if (!isIdentifier(s.substring(from, dot))) {
                return false;
            }
        }
        return isIdentifier(s.substring(from));
    }

    /** A metric-name prefix: a letter, then letters, digits, '_' and '-', in dot-separated non-empty parts. */
    static boolean isPrefix(String s) {
        if (s.isEmpty() || !isAsciiLetter(s.charAt(0)) || s.endsWith(".")) {
            return false;
        }
        char previous = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '-' || (c == '.' && previous != '.');
            if (!ok) {
                return false;
            }
            previous = c;
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /**
     * {@code 500ms}, {@code 5s}, {@code 1m}, {@code 1h}, or a bare number of seconds (spaces allowed before the
     * unit), in milliseconds; -1 when not of that form or too large for a long.
     */
    static long durationMillis(String text) {
        int digits = 0;
        while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
            digits++;
        }
        if (digits == 0 || digits > 18) {
            return -1;
        }
        long value = Long.parseLong(text.substring(0, digits));
        String unit = text.substring(digits).trim();
        long factor = unit.isEmpty() || unit.equals("s") ? 1000 : unit.equals("ms") ? 1
                : unit.equals("m") ? 60_000 : unit.equals("h") ? 3_600_000 : -1;
        if (factor < 0 || value > Long.MAX_VALUE / factor) {
            return -1;
        }
        return value * factor;
    }
}
