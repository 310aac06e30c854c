package io.monasca.perf.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Issue 20: every run without InfluxDB left its whole line-protocol file behind (1.5 GB for a default run). */
class LineProtocolFileTest {
    @TempDir
    Path temp;

    @Test
    void theFileIsCountedThenOnlyItsFirstLinesAreKept() throws Exception {
        Path file = temp.resolve("toggle").resolve("points.lp");
        Files.createDirectories(file.getParent());
        String lines = IntStream.range(0, 2500).mapToObj(i -> "metric_001,hostname=h value=" + i + " " + i).collect(Collectors.joining("\n"));
        Files.writeString(file, lines + "\n\n");
        RoundPlan plan = new RoundPlan("localhost:9092", "t", "g", 0, null, "db", file, 1, 1, Duration.ofSeconds(1));
        assertEquals(2500, RoundRunner.stored(new RoundInfra(null, null, null, null), plan), "every point counted");
        assertFalse(Files.exists(file), "the whole file is not kept");
        List<String> kept = Files.readAllLines(file.resolveSibling("points-sample.lp"));
        assertEquals(1000, kept.size());
        assertEquals("metric_001,hostname=h value=0 0", kept.get(0));
        assertEquals("metric_001,hostname=h value=999 999", kept.get(999));
    }
}
