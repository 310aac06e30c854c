package io.monasca.perf;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * perf's packages form layers: a package may use only packages of lower layers (or its own), so there is no arrow
 * back up and no cycle. Read from the sources, imports and fully qualified names alike.
 */
class PackageLayersTest {
    private static final String ROOT = "io.monasca.perf";
    /** Lowest first; "" is the root package (the commands and the run's orchestration). */
    private static final Map<String, Integer> LAYER = Map.ofEntries(
            Map.entry("outcome", 0), Map.entry("net", 0), Map.entry("http", 0), Map.entry("cpu", 0),
            Map.entry("load", 0), Map.entry("standin", 0),
            Map.entry("monasca", 1),
            Map.entry("source", 2),
            Map.entry("result", 3), Map.entry("path", 3),
            Map.entry("report", 4),
            Map.entry("run", 5),
            Map.entry("toggle", 6), Map.entry("watch", 6),
            Map.entry("", 7));
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.monasca\\.perf\\.(?:([a-z]+)\\.)?[A-Z]");

    @Test
    void everyReferenceGoesDownTheLayers() throws IOException {
        Path sources = Path.of("src/main/java/io/monasca/perf");
        List<String> upward = new ArrayList<>();
        int files = 0;
        try (Stream<Path> walk = Files.walk(sources)) {
            for (Path file : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                files++;
                String from = packageOf(sources.relativize(file.getParent()));
                assertTrue(LAYER.containsKey(from), "package " + ROOT + "." + from + " has no layer in this test");
                Matcher m = REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    String to = m.group(1) == null ? "" : m.group(1);
                    assertTrue(LAYER.containsKey(to), file + " uses package " + to + ", which has no layer");
                    if (!to.equals(from) && LAYER.get(to) >= LAYER.get(from)) {
                        upward.add(file.getFileName() + " (" + label(from) + ") -> " + label(to));
                    }
                }
            }
        }
        assertTrue(files > 50, "read only " + files + " source files");
        assertEquals(List.of(), upward, "references that go up or across a layer");
    }

    private static String packageOf(Path relative) {
        return relative.toString().replace('/', '.');
    }

    private static String label(String pkg) {
        return pkg.isEmpty() ? ROOT : ROOT + "." + pkg;
    }
}
