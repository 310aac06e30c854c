package io.monasca.testkit.statsd;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a flat Python dict literal of str keys and str values, accepting what {@code ast.literal_eval} accepts
 * for such a dict (the monasca-agent statsd daemon parses the {@code |#{...}} section with it): single, double
 * or triple quotes, {@code r}/{@code u} prefixes, Python escapes, adjacent literals joined, a trailing comma,
 * free whitespace and a trailing comment. Anything else, and any non-str key or value (numbers, bytes, nested
 * containers, {@code True}/{@code None}, which the daemon's validation rejects), is an
 * {@link IllegalArgumentException} naming the position and the problem.
 */
final class PythonDictLiteral {

    private final String text;
    private int pos;

    private PythonDictLiteral(String text) {
        this.text = text;
    }

    /** Parses {@code text}, which must be the whole literal (starting with '{'). Keys keep their order. */
    static LinkedHashMap<String, String> parse(String text) {
        return new PythonDictLiteral(text).dict();
    }

    private LinkedHashMap<String, String> dict() {
        skipSpace();
        expect('{');
        LinkedHashMap<String, String> dict = new LinkedHashMap<>();
        skipSpace();
        while (peek() != '}') {
            String key = string("key");
            skipSpace();
            if (peek() == ',' || peek() == '}') {
                throw error("{" + PythonRepr.strRepr(key) + "...} is a set, not a dict");
            }
            expect(':');
            skipSpace();
            String value = string("value for key " + PythonRepr.strRepr(key));
            dict.put(key, value); // a repeated key keeps its first place and takes the last value, like Python
            skipSpace();
            if (peek() == ',') {
                pos++;
                skipSpace();
            } else if (peek() != '}') {
                throw error("expected ',' or '}'");
            }
        }
        pos++;
        skipSpace();
        if (pos < text.length()) {
            throw error("unexpected text after the closing '}'");
        }
        return dict;
    }

    /** One or more adjacent str literals, joined (Python concatenates {@code 'a' 'b'}). */
    private String string(String what) {
        if (!startsString()) {
            throw error("the " + what + " is not a str literal" + describeNonString());
        }
        StringBuilder joined = new StringBuilder();
        do {
            joined.append(literal(what));
            skipSpace();
        } while (startsString());
        return joined.toString();
    }

    private boolean startsString() {
        int p = pos;
        while (p < text.length() && p - pos < 2 && "rRuUbBfF".indexOf(text.charAt(p)) >= 0) {
            p++;
        }
        return p < text.length() && (text.charAt(p) == '\'' || text.charAt(p) == '"');
    }

    private String describeNonString() {
        char c = peek();
        if (c == 0) {
            return " (the text ends here)";
        }
        if (Character.isDigit(c) || c == '-' || c == '+' || c == '.') {
            return ": it is a number (dimension keys and values must be str)";
        }
        if (text.startsWith("True", pos) || text.startsWith("False", pos) || text.startsWith("None", pos)) {
            return ": it is True/False/None (dimension keys and values must be str)";
        }
        if (c == '{' || c == '[' || c == '(') {
            return ": it is a container (dimension keys and values must be str)";
        }
        return ": found '" + c + "'";
    }

    private String literal(String what) {
        int start = pos;
        boolean raw = false;
        boolean bytes = false;
        while ("rRuUbBfF".indexOf(text.charAt(pos)) >= 0) {
            char p = Character.toLowerCase(text.charAt(pos++));
            raw |= p == 'r';
            bytes |= p == 'b';
            if (p == 'f') {
                throw error("the " + what + " is an f-string, which ast.literal_eval rejects");
            }
        }
        String prefix = text.substring(start, pos).toLowerCase();
        if (prefix.length() == 2 && !prefix.equals("br") && !prefix.equals("rb")) {
            throw error("invalid string prefix '" + prefix + "'");
        }
        if (bytes) {
            throw error("the " + what + " is a bytes literal, not a str");
        }
        char quote = text.charAt(pos);
        boolean triple = text.startsWith(String.valueOf(quote).repeat(3), pos);
        pos += triple ? 3 : 1;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string (the " + what + ")");
            }
            char c = text.charAt(pos);
            if (c == quote && (!triple || text.startsWith(String.valueOf(quote).repeat(3), pos))) {
                pos += triple ? 3 : 1;
                return out.toString();
            }
            if ((c == '\n' || c == '\r') && !triple) {
                throw error("line break inside a single-quoted string (the " + what + ")");
            }
            if (c == '\\') {
                if (pos + 1 >= text.length()) {
                    throw error("unterminated string (the " + what + ")");
                }
                if (raw) { // a raw string keeps the backslash; it only stops the next quote ending the string
                    out.append(c).append(text.charAt(pos + 1));
                    pos += 2;
                } else {
                    pos++;
                    escape(out);
                }
                continue;
            }
            out.append(c);
            pos++;
        }
    }

    /** Python str escapes; {@code pos} is just after the backslash. Unknown escapes keep the backslash. */
    private void escape(StringBuilder out) {
        char c = text.charAt(pos++);
        switch (c) {
            case '\n': return;                 // backslash-newline: line continuation
            case '\\': out.append('\\'); return;
            case '\'': out.append('\''); return;
            case '"': out.append('"'); return;
            case 'a': out.append('\u0007'); return;
            case 'b': out.append('\b'); return;
            case 'f': out.append('\f'); return;
            case 'n': out.append('\n'); return;
            case 'r': out.append('\r'); return;
            case 't': out.append('\t'); return;
            case 'v': out.append('\u000b'); return;
            case 'x': out.appendCodePoint(hex(2, "\\x")); return;
            case 'u': out.appendCodePoint(hex(4, "\\u")); return;
            case 'U': {
                int cp = hex(8, "\\U");
                if (cp > Character.MAX_CODE_POINT) {
                    throw error("illegal Unicode character in \\U escape");
                }
                out.appendCodePoint(cp);
                return;
            }
            case 'N': {
                int close = text.indexOf('}', pos);
                if (peek() != '{' || close < 0) {
                    throw error("malformed \\N{...} escape");
                }
                String name = text.substring(pos + 1, close);
                try {
                    out.appendCodePoint(Character.codePointOf(name));
                } catch (IllegalArgumentException e) {
                    throw error("unknown Unicode character name '" + name + "'");
                }
                pos = close + 1;
                return;
            }
            default:
                if (c >= '0' && c <= '7') { // up to three octal digits
                    int value = c - '0';
                    for (int i = 0; i < 2 && pos < text.length() && text.charAt(pos) >= '0'
                            && text.charAt(pos) <= '7'; i++) {
                        value = value * 8 + text.charAt(pos++) - '0';
                    }
                    out.append((char) value);
                } else {
                    out.append('\\').append(c); // Python keeps unknown escapes (with a warning)
                }
        }
    }

    private int hex(int digits, String escape) {
        if (pos + digits > text.length()) {
            throw error("truncated " + escape + " escape");
        }
        String hex = text.substring(pos, pos + digits);
        for (char h : hex.toCharArray()) {
            if (Character.digit(h, 16) < 0) {
                throw error("truncated " + escape + " escape");
            }
        }
        pos += digits;
        return (int) Long.parseLong(hex, 16);
    }

    /** Spaces, tabs, form feeds and line breaks between tokens, backslash-newline, and a {@code #} comment. */
    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r') {
                pos++;
            } else if (c == '\\' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n') {
                pos += 2;
            } else if (c == '#') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private IllegalArgumentException error(String problem) {
        return new IllegalArgumentException("dimensions " + text + " are not a Python dict of str: " + problem
                + " at offset " + pos);
    }
}
