package io.monasca.agent.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the {@code -javaagent:jar=...} argument into {@code key=value} entries.
 *
 * <p>Entries are separated by commas, but a comma stays inside the current value when it is inside {@code [...]}
 * (method lists: {@code op.flush=a.B[x,y]}) or when the text after it, up to the next separator, has no {@code =}
 * (lists of dimensions: {@code dimensions=region:r1,cluster:c1}).
 */
public final class AgentArguments {
    private AgentArguments() {
    }

    public static List<String> split(String argument) {
        List<String> entries = new ArrayList<String>();
        if (argument == null || argument.trim().isEmpty()) {
            return entries;
        }
        StringBuilder current = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < argument.length(); i++) {
            char c = argument.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']' && depth > 0) {
                depth--;
            }
            if (c == ',' && depth == 0 && startsNewEntry(argument, i + 1)) {
                addIfNotBlank(entries, current);
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        addIfNotBlank(entries, current);
        return entries;
    }

    /** True when the segment starting at {@code from} (up to the next top-level comma) contains '=' or is blank. */
    private static boolean startsNewEntry(String argument, int from) {
        int depth = 0;
        boolean blank = true;
        for (int i = from; i < argument.length(); i++) {
            char c = argument.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']' && depth > 0) {
                depth--;
            } else if (c == '=') {
                return true;
            } else if (c == ',' && depth == 0) {
                return blank;
            }
            blank &= Character.isWhitespace(c);
        }
        return blank;
    }

    private static void addIfNotBlank(List<String> entries, StringBuilder entry) {
        String text = entry.toString().trim();
        if (!text.isEmpty()) {
            entries.add(text);
        }
    }
}
