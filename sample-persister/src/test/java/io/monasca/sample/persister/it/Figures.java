package io.monasca.sample.persister.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The figures of a reliability test (produced, stored distinct, duplicates, time...), printed and appended to
 * {@code target/reliability-figures.txt}, one line per run, so that the last run's can be read after the build.
 */
final class Figures {

    private final String test;
    private final long startNanos = System.nanoTime();
    private final Map<String, Object> values = new LinkedHashMap<>();

    Figures(String test) {
        this.test = test;
    }

    Figures put(String name, Object value) {
        values.put(name, value);
        return this;
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Prints and records the figures with the time since this object was made. */
    String record() {
        values.put("seconds", String.format(java.util.Locale.ROOT, "%.1f", seconds()));
        String line = Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + test + ": " + values.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        System.out.println("RELIABILITY " + line);
        try {
            Path file = Path.of(System.getProperty("sample-persister.dir", "."), "target", "reliability-figures.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return line;
    }
}
