package io.monasca.perf.source;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One statsd line, {@code name:value|type[|@rate][|#dimensions]}, with dimensions either as monasca-statsd writes
 * them (a Python dict literal, {@code #{'k': 'v', 'k2': 'v2'}}) or as DogStatsD tags ({@code #k:v,k2:v2}).
 * Dimension order is kept: the daemon keys a series by it.
 */
record StatsdLine(String name, double value, String type, double sampleRate, Map<String, String> dimensions) {

    /** The parsed line, or null when the daemon could not parse it either. */
    static StatsdLine parseOrNull(String text) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static StatsdLine parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("no name: " + text);
        String name = text.substring(0, colon);
        String[] fields = text.substring(colon + 1).split("\\|", -1);
        if (fields.length < 2 || fields[0].isEmpty() || fields[1].isEmpty()) throw new IllegalArgumentException("no value or type: " + text);
        double value = Double.parseDouble(fields[0]);
        if (!Double.isFinite(value)) throw new IllegalArgumentException("not finite: " + text);
        double rate = 1.0;
        Map<String, String> dimensions = new LinkedHashMap<>();
        for (int i = 2; i < fields.length; i++) {
            String field = fields[i];
            if (field.startsWith("@")) {
                rate = Double.parseDouble(field.substring(1));
            } else if (field.startsWith("#{")) {
                parseDict(field.substring(1), dimensions);
            } else if (field.startsWith("#")) {
                for (String tag : field.substring(1).split(",")) {
                    int c = tag.indexOf(':');
                    if (c <= 0) throw new IllegalArgumentException("bad tag: " + tag);
                    dimensions.put(tag.substring(0, c), tag.substring(c + 1));
                }
            } else {
                throw new IllegalArgumentException("unknown field: " + field);
            }
        }
        return new StatsdLine(name, value, fields[1], rate, Collections.unmodifiableMap(dimensions));
    }

    /** A flat dict of quoted strings: {'a': 'b', 'c': "d'e"}. */
    private static void parseDict(String dict, Map<String, String> into) {
        String body = dict.strip();
        if (!body.startsWith("{") || !body.endsWith("}")) throw new IllegalArgumentException("bad dict: " + dict);
        int i = 1;
        int end = body.length() - 1;
        while (true) {
            i = skipSpaces(body, i);
            if (i >= end) return;
            int[] keyEnd = new int[1];
            String key = quoted(body, i, keyEnd);
            i = skipSpaces(body, keyEnd[0]);
            if (body.charAt(i) != ':') throw new IllegalArgumentException("bad dict: " + dict);
            i = skipSpaces(body, i + 1);
            int[] valueEnd = new int[1];
            String value = quoted(body, i, valueEnd);
            into.put(key, value);
            i = skipSpaces(body, valueEnd[0]);
            if (i < end && body.charAt(i) == ',') i++;
            else if (i < end) throw new IllegalArgumentException("bad dict: " + dict);
        }
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') i++;
        return i;
    }

    private static String quoted(String s, int start, int[] end) {
        char quote = s.charAt(start);
        if (quote != '\'' && quote != '"') throw new IllegalArgumentException("not a string at " + start + ": " + s);
        StringBuilder out = new StringBuilder();
        int i = start + 1;
        while (i < s.length() && s.charAt(i) != quote) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                out.append(s.charAt(i + 1));
                i += 2;
            } else {
                out.append(c);
                i++;
            }
        }
        if (i >= s.length()) throw new IllegalArgumentException("unterminated string: " + s);
        end[0] = i + 1;
        return out.toString();
    }
}
