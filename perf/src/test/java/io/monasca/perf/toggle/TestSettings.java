package io.monasca.perf.toggle;

import io.monasca.perf.run.RunSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The settings of a toggle run as the report tests need them: only the mode, the output and the design vary. */
final class TestSettings {
    private TestSettings() {
    }

    /** {@code backlogWindows} {@link RunSettings#ADAPTIVE}: --precision 1.0, --max-time 4m. */
    static RunSettings toggle(String mode, Path output, int backlogWindows) {
        return new RunSettings(mode, 6, true, 160_000, 0, 2, 2, 2, 10_000, Duration.ofSeconds(10), List.of("admin", "statsd"),
                output, Path.of("a.jar"), Path.of("p.jar"), null, Duration.ofSeconds(1), true, "monasca",
                Duration.ofMillis(100), Duration.ofSeconds(90), Duration.ofSeconds(1), Duration.ofSeconds(5), true, "512m", false,
                Duration.ofSeconds(40), 0, Duration.ofSeconds(2), backlogWindows, 2, 1.0, Duration.ofMinutes(4),
                Duration.ofSeconds(20));
    }
}
