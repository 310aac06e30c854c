package io.monasca.testkit.statsd;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Python's {@code ast.literal_eval} for the text the monasca-agent statsd daemon gives it (a {@code |#{...}}
 * dimension section): str and bytes literals (single, double or triple quotes, {@code r}/{@code u}/{@code b}
 * prefixes, Python escapes, adjacent literals joined), int/float/complex numbers with a sign, {@code True},
 * {@code False}, {@code None}, {@code ...}, and nested dicts, sets, lists and tuples (trailing commas, free
 * whitespace, a trailing comment). What {@code literal_eval} would raise on is an
 * {@link IllegalArgumentException} naming the position and the problem.
 * <p>
 * Values become: {@link String}, {@link Bytes}, {@link BigInteger}, {@link Double}, {@link Complex},
 * {@link Boolean}, {@link #NONE}, {@link #ELLIPSIS}, {@link LinkedHashMap}, {@link LinkedHashSet},
 * {@link ArrayList} (list) and {@link Tuple}. Numeric equality of keys (Python's {@code 1 == 1.0 == True}) is not
 * modelled: only str-to-str dicts matter to the daemon.
 */
final class PythonLiteral {

    /** Python's None. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };
    /** Python's Ellipsis ({@code ...}). */
    static final Object ELLIPSIS = new Object() {
        @Override
        public String toString() {
            return "Ellipsis";
        }
    };

    /** A bytes literal (its text, as written between the quotes after escapes). */
    record Bytes(String text) {
    }

    /** A complex number. */
    record Complex(double real, double imag) {
    }

    /** A tuple. */
    record Tuple(List<Object> items) {
    }

    private final String text;
    private int pos;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /** The value of {@code text}, like {@code ast.literal_eval(text)}. */
    static Object parse(String text) {
        PythonLiteral p = new PythonLiteral(text);
        p.skipSpace();
        Object value = p.value();
        if (p.peek() == ',') { // "x, y" at the top is a tuple
            List<Object> items = new ArrayList<>();
            items.add(value);
            while (p.peek() == ',') {
                p.pos++;
                p.skipSpace();
                if (p.pos == p.text.length()) {
                    break;
                }
                items.add(p.value());
            }
            value = new Tuple(items);
        }
        if (p.pos < p.text.length()) {
            throw p.error("unexpected text after the literal");
        }
        return value;
    }

    /**
     * {@code text} read as the daemon needs its dimensions: a dict whose keys and values are all str.
     *
     * @throws IllegalArgumentException when literal_eval fails or the result is anything else
     */
    static LinkedHashMap<String, String> strDict(String text) {
        return strDict(parse(text), text);
    }

    /** {@code value} (parsed from {@code text}) as a str-to-str dict, or an exception saying why it is not. */
    static LinkedHashMap<String, String> strDict(Object value, String text) {
        String problem = strDictProblem(value);
        if (problem != null) {
            throw new IllegalArgumentException("dimensions " + text + " are not a dict of str: " + problem);
        }
        LinkedHashMap<String, String> dict = new LinkedHashMap<>();
        ((Map<?, ?>) value).forEach((k, v) -> dict.put((String) k, (String) v));
        return dict;
    }

    /** Why {@code value} is not a dict of str to str, or null when it is. */
    static String strDictProblem(Object value) {
        if (!(value instanceof Map)) {
            return "it is " + withArticle(typeName(value)) + ", not a dict";
        }
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            if (!(e.getKey() instanceof String)) {
                return "the key " + e.getKey() + " is " + withArticle(typeName(e.getKey())) + ", not a str";
            }
            if (!(e.getValue() instanceof String)) {
                return "the value for key " + PythonRepr.strRepr((String) e.getKey()) + " is "
                        + withArticle(typeName(e.getValue())) + ", not a str";
            }
        }
        return null;
    }

    private static String withArticle(String typeName) {
        return ("aeiou".indexOf(typeName.charAt(0)) >= 0 ? "an " : "a ") + typeName;
    }

    /** Python's type name of a parsed value. */
    static String typeName(Object value) {
        if (value instanceof String) {
            return "str";
        } else if (value instanceof Bytes) {
            return "bytes";
        } else if (value instanceof BigInteger) {
            return "int";
        } else if (value instanceof Double) {
            return "float";
        } else if (value instanceof Complex) {
            return "complex";
        } else if (value instanceof Boolean) {
            return "bool";
        } else if (value == NONE) {
            return "NoneType";
        } else if (value == ELLIPSIS) {
            return "ellipsis";
        } else if (value instanceof Map) {
            return "dict";
        } else if (value instanceof Set) {
            return "set";
        } else if (value instanceof Tuple) {
            return "tuple";
        }
        return "list";
    }

    private Object value() {
        char c = peek();
        if (c == '{') {
            return dictOrSet();
        }
        if (c == '[') {
            pos++;
            List<Object> items = items(']');
            return items;
        }
        if (c == '(') {
            return parenthesized();
        }
        if (startsString()) {
            return stringOrBytes();
        }
        if (c == '+' || c == '-' || c == '.' && !text.startsWith("...", pos) || Character.isDigit(c)) {
            return signedNumber();
        }
        for (String name : new String[] {"True", "False", "None", "..."}) {
            if (text.startsWith(name, pos) && !identifierPart(pos + name.length())) {
                pos += name.length();
                skipSpace();
                return name.equals("True") ? Boolean.TRUE : name.equals("False") ? Boolean.FALSE
                        : name.equals("None") ? NONE : ELLIPSIS;
            }
        }
        throw error(c == 0 ? "the text ends where a value is expected" : "'" + c + "' does not start a literal");
    }

    private Object dictOrSet() {
        pos++;
        skipSpace();
        if (peek() == '}') {
            pos++;
            skipSpace();
            return new LinkedHashMap<>();
        }
        Object first = value();
        if (peek() == ':') {
            LinkedHashMap<Object, Object> dict = new LinkedHashMap<>();
            Object key = first;
            while (true) {
                expect(':');
                skipSpace();
                dict.put(hashable(key), value()); // a repeated key keeps its first place, takes the last value
                if (!separator('}')) {
                    break;
                }
                key = value();
            }
            return dict;
        }
        LinkedHashSet<Object> set = new LinkedHashSet<>();
        set.add(hashable(first));
        while (separator('}')) {
            set.add(hashable(value()));
        }
        return set;
    }

    /** After an item: a comma then maybe the closing bracket (true: another item follows), or the bracket. */
    private boolean separator(char close) {
        if (peek() == ',') {
            pos++;
            skipSpace();
            if (peek() != close) {
                return true;
            }
        }
        if (peek() != close) {
            throw error("expected ',' or '" + close + "'");
        }
        pos++;
        skipSpace();
        return false;
    }

    private List<Object> items(char close) {
        List<Object> items = new ArrayList<>();
        skipSpace();
        if (peek() == close) {
            pos++;
            skipSpace();
            return items;
        }
        do {
            items.add(value());
        } while (separator(close));
        return items;
    }

    private Object parenthesized() {
        pos++;
        skipSpace();
        if (peek() == ')') {
            pos++;
            skipSpace();
            return new Tuple(List.of());
        }
        Object first = value();
        if (peek() == ')') { // (x) is x itself
            pos++;
            skipSpace();
            return first;
        }
        expect(',');
        List<Object> items = new ArrayList<>();
        items.add(first);
        items.addAll(items(')'));
        return new Tuple(items);
    }

    private Object hashable(Object key) {
        if (key instanceof Map || key instanceof Set || key instanceof List) {
            throw error("unhashable type: '" + typeName(key) + "'");
        }
        return key;
    }

    /** A number with optional unary signs, and {@code real +/- imaginary} (all literal_eval allows). */
    private Object signedNumber() {
        Object left = unsigned();
        if ((peek() == '+' || peek() == '-') && !(left instanceof Complex)) {
            int save = pos;
            char op = text.charAt(pos++);
            skipSpace();
            if (Character.isDigit(peek()) || peek() == '.') {
                Object right = unsigned();
                if (right instanceof Complex && ((Complex) right).real() == 0) {
                    double real = left instanceof BigInteger ? ((BigInteger) left).doubleValue() : (Double) left;
                    double imag = ((Complex) right).imag();
                    return new Complex(real, op == '+' ? imag : -imag);
                }
                throw error("literal_eval only adds or subtracts a real and an imaginary number");
            }
            pos = save;
        }
        return left;
    }

    private Object unsigned() {
        boolean negative = false;
        if (peek() == '+' || peek() == '-') { // literal_eval allows one sign, not "--1"
            negative = text.charAt(pos++) == '-';
            skipSpace();
        }
        Object number;
        if (peek() == '(') { // -(3) is still a signed number to literal_eval
            number = parenthesized();
            if (!(number instanceof BigInteger || number instanceof Double || number instanceof Complex)) {
                throw error("a sign applies only to a number");
            }
        } else {
            number = unsignedToken();
        }
        if (!negative) {
            return number;
        }
        if (number instanceof BigInteger) {
            return ((BigInteger) number).negate();
        }
        if (number instanceof Double) {
            return -(Double) number;
        }
        return new Complex(-((Complex) number).real(), -((Complex) number).imag());
    }

    private Object unsignedToken() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_'
                || text.charAt(pos) == '.' || (text.charAt(pos) == '+' || text.charAt(pos) == '-')
                && Character.toLowerCase(text.charAt(pos - 1)) == 'e' && !text.substring(start, pos).matches(
                "0[xX].*"))) {
            pos++;
        }
        String token = text.substring(start, pos);
        if (token.isEmpty()) {
            throw error("a number must follow the sign");
        }
        skipSpace();
        Object number = number(token);
        if (number == null) {
            throw error("'" + token + "' is not a number");
        }
        return number;
    }

    private static Object number(String token) {
        String digits = "[0-9](?:_?[0-9])*";
        if (token.matches("(?:[1-9](?:_?[0-9])*|0(?:_?0)*)")) {
            return new BigInteger(token.replace("_", ""));
        }
        if (token.matches("0[xX](?:_?[0-9a-fA-F])+")) {
            return new BigInteger(token.substring(2).replace("_", ""), 16);
        }
        if (token.matches("0[oO](?:_?[0-7])+")) {
            return new BigInteger(token.substring(2).replace("_", ""), 8);
        }
        if (token.matches("0[bB](?:_?[01])+")) {
            return new BigInteger(token.substring(2).replace("_", ""), 2);
        }
        String exponent = "[eE][+-]?" + digits;
        String real = "(?:(?:" + digits + ")?\\.(?:" + digits + ")(?:" + exponent + ")?|" + digits + "\\.(?:" + exponent
                + ")?|" + digits + exponent + ")";
        if (token.matches(real)) {
            return Double.valueOf(token.replace("_", ""));
        }
        if (token.matches("(?:" + real + "|" + digits + ")[jJ]")) {
            return new Complex(0, Double.parseDouble(token.substring(0, token.length() - 1).replace("_", "")));
        }
        return null;
    }

    private boolean identifierPart(int at) {
        return at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_');
    }

    private Object stringOrBytes() {
        StringBuilder joined = new StringBuilder();
        Boolean bytes = null;
        do {
            boolean isBytes = prefixHas('b');
            if (bytes != null && bytes != isBytes) {
                throw error("cannot mix bytes and str literals");
            }
            bytes = isBytes;
            joined.append(literal());
            skipSpace();
        } while (startsString());
        return bytes ? new Bytes(joined.toString()) : joined.toString();
    }

    private boolean prefixHas(char p) {
        for (int i = pos; i < text.length() && "rRuUbBfF".indexOf(text.charAt(i)) >= 0; i++) {
            if (Character.toLowerCase(text.charAt(i)) == p) {
                return true;
            }
        }
        return false;
    }

    private boolean startsString() {
        int p = pos;
        while (p < text.length() && p - pos < 2 && "rRuUbBfF".indexOf(text.charAt(p)) >= 0) {
            p++;
        }
        return p < text.length() && (text.charAt(p) == '\'' || text.charAt(p) == '"');
    }

    private String literal() {
        int start = pos;
        boolean raw = false;
        boolean bytes = false;
        while ("rRuUbBfF".indexOf(text.charAt(pos)) >= 0) {
            char p = Character.toLowerCase(text.charAt(pos++));
            raw |= p == 'r';
            bytes |= p == 'b';
            if (p == 'f') {
                throw error("f-strings are not literals");
            }
        }
        String prefix = text.substring(start, pos).toLowerCase();
        if (prefix.length() == 2 && !prefix.equals("br") && !prefix.equals("rb")) {
            throw error("invalid string prefix '" + prefix + "'");
        }
        char quote = text.charAt(pos);
        boolean triple = text.startsWith(String.valueOf(quote).repeat(3), pos);
        pos += triple ? 3 : 1;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string ");
            }
            char c = text.charAt(pos);
            if (c == quote && (!triple || text.startsWith(String.valueOf(quote).repeat(3), pos))) {
                pos += triple ? 3 : 1;
                return out.toString();
            }
            if ((c == '\n' || c == '\r') && !triple) {
                throw error("line break inside a single-quoted string ");
            }
            if (c == '\\') {
                if (pos + 1 >= text.length()) {
                    throw error("unterminated string ");
                }
                if (raw) { // a raw string keeps the backslash; it only stops the next quote ending the string
                    out.append(c).append(text.charAt(pos + 1));
                    pos += 2;
                } else {
                    pos++;
                    escape(out, bytes);
                }
                continue;
            }
            out.append(c);
            pos++;
        }
    }

    /** Python str escapes; {@code pos} is just after the backslash. Unknown escapes keep the backslash. */
    private void escape(StringBuilder out, boolean bytes) {
        char c = text.charAt(pos++);
        if (bytes && (c == 'u' || c == 'U' || c == 'N')) { // not escapes in bytes literals
            out.append('\\').append(c);
            return;
        }
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
                    if (!name.equals(name.strip())) {
                        throw new IllegalArgumentException(name);
                    }
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
        return new IllegalArgumentException("ast.literal_eval fails on " + text + ": " + problem + " at offset " + pos);
    }
}
