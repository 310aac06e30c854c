package io.monasca.perf.run;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoundOrderTest {
    @Test
    void roundsRunInAbbaOrderWithOneOffAndOneOnPerPair() {
        List<String> modes = IntStream.rangeClosed(1, 8).mapToObj(PerfRun::mode).toList();
        assertEquals(List.of("off", "on", "on", "off", "off", "on", "on", "off"), modes);
    }

    @Test
    void aLinearDriftCancelsOverFourRounds() {
        double off = 0;
        double on = 0;
        for (int round = 1; round <= 4; round++) {
            double drift = 100 * round; // the machine gets faster every round
            if (PerfRun.mode(round).equals("off")) off += drift;
            else on += drift;
        }
        assertEquals(off, on, 1e-9);
    }

    private static RunSettings settings(long messages, int batchSize, int threads) {
        return new RunSettings(RunSettings.RESTART, 6, true, messages, 0, 2, threads, threads, batchSize, Duration.ofSeconds(1), List.of("admin"),
                Path.of("out"), Path.of("a.jar"), Path.of("p.jar"), null, Duration.ofSeconds(1), true, "monasca",
                Duration.ofMillis(100), Duration.ofSeconds(90), Duration.ofSeconds(1), Duration.ofSeconds(5), true, "512m", false,
                Duration.ofSeconds(40), 0, Duration.ofSeconds(2), 40, 8);
    }

    @Test
    void theDefaultsGiveWholeBatchesAndOtherCountsAreFlagged() {
        assertNull(PerfRun.partialBatchNote(settings(160_000, 10_000, 2)));
        String note = PerfRun.partialBatchNote(settings(150_000, 10_000, 2));
        assertTrue(note != null && note.contains("last partial batch waits for maxBatchTime"), note);
    }
}
