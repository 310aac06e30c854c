package io.monasca.agent.config;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the {@code -javaagent:jar=...} argument into {@code key=value} entries.
 *
 * <p>Entries are separated by commas, but a comma stays inside the current value when it is inside {@code [...]}
 * (method lists: {@code op.flush=a.B[x,y]}) or when the text after it, up to the next separator, has no {@code =}
 * (lists of dimensions: {@code dimensions=region:r1,cluster:c1}).
 *
 * <p>An argument {@code @<file>} stands for the file's content: {@code attach} passes settings that way when they are
 * longer than the JDK's attach protocol carries.
 */
public final class AgentArguments {
    /** The same bound as a config file's. */
    static final int MAX_FILE_BYTES = (int) ConfigSources.MAX_FILE_BYTES;

    private AgentArguments() {
    }

    /** The argument itself, or the content of the file an {@code @<file>} argument names (UTF-8). */
    public static String expand(String argument) throws IOException {
        if (argument == null || !argument.startsWith("@")) {
            return argument;
        }
        String path = argument.substring(1);
        try (InputStream in = new FileInputStream(path)) {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                content.write(buffer, 0, n);
                if (content.size() > MAX_FILE_BYTES) {
                    throw new IOException("more than " + MAX_FILE_BYTES + " bytes");
                }
            }
            return new String(content.toByteArray(), "UTF-8").trim();
        } catch (IOException e) {
            throw new IOException("the settings file " + path + " that attach passed cannot be read as user "
                    + System.getProperty("user.name") + " (" + FileFacts.describe(path) + "): " + e, e);
        }
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
