package io.monasca.perf.watch;

import io.monasca.perf.source.MetricSource;
import io.monasca.perf.source.Reading;
import io.monasca.perf.source.SourceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WatcherTest {
    @TempDir
    Path temp;

    /** Reads 0, then fails {@code failures} times (a persister restarting, or down), then 100. */
    static final class Flaky implements MetricSource {
        final int failures;
        int reads;

        Flaky(int failures) {
            this.failures = failures;
        }

        @Override
        public String name() {
            return "admin";
        }

        @Override
        public Reading read() throws SourceException {
            reads++;
            if (reads == 1) return new Reading(0, 0);
            if (reads - 1 <= failures) throw new SourceException("admin source: cannot reach http://h:8091/metrics (connection refused)");
            return new Reading(100, 100);
        }
    }

    @Test
    void aFailedReadDuringTheWatchIsLoggedAndRetried() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Flaky source = new Flaky(2);
        Watcher.Outcome outcome = new Watcher(source, 100, Duration.ofMillis(10), Duration.ofSeconds(30),
                new PrintStream(bytes, true, StandardCharsets.UTF_8), false).watch(temp);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(outcome.reached(), out);
        assertEquals(4, source.reads);
        assertTrue(out.contains("read failed, retrying") && out.contains("connection refused"), out);
    }

    @Test
    void failedReadsUntilTheTimeoutEndTheWatchUnreached() throws Exception {
        MetricSource down = new Flaky(Integer.MAX_VALUE);
        Watcher.Outcome outcome = new Watcher(down, 100, Duration.ofMillis(50), Duration.ofSeconds(1),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false).watch(temp);
        assertTrue(!outcome.reached());
    }
}
