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

    /** Reads 0, then fails twice (a persister restarting), then 100. */
    static final class Flaky implements MetricSource {
        int reads;

        @Override
        public String name() {
            return "admin";
        }

        @Override
        public Reading read() throws SourceException {
            reads++;
            if (reads == 1) return new Reading(0, 0);
            if (reads <= 3) throw new SourceException("admin source: cannot reach http://h:8091/metrics (connection refused)");
            return new Reading(100, 100);
        }
    }

    @Test
    void aFailedReadDuringTheWatchIsLoggedAndRetried() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Flaky source = new Flaky();
        Watcher.Outcome outcome = new Watcher(source, 100, Duration.ofMillis(10), Duration.ofSeconds(30),
                new PrintStream(bytes, true, StandardCharsets.UTF_8), false).watch(temp);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(outcome.reached(), out);
        assertEquals(4, source.reads);
        assertTrue(out.contains("read failed, retrying") && out.contains("connection refused"), out);
    }

    @Test
    void failedReadsUntilTheTimeoutEndTheWatchUnreached() throws Exception {
        MetricSource down = new MetricSource() {
            int reads;

            @Override
            public String name() {
                return "admin";
            }

            @Override
            public Reading read() throws SourceException {
                if (reads++ == 0) return new Reading(0, 0);
                throw new SourceException("admin source: down");
            }
        };
        Watcher.Outcome outcome = new Watcher(down, 100, Duration.ofMillis(50), Duration.ofSeconds(1),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false).watch(temp);
        assertTrue(!outcome.reached());
    }
}
