package io.monasca.perf;

import io.monasca.perf.result.RoundResult;
import io.monasca.perf.run.AbbaOrder;
import io.monasca.perf.run.RunSettings;
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
        List<String> modes = IntStream.rangeClosed(1, 8).mapToObj(AbbaOrder::mode).toList();
        assertEquals(List.of("off", "on", "on", "off", "off", "on", "on", "off"), modes);
    }

    @Test
    void aLinearDriftCancelsOverFourRounds() {
        double off = 0;
        double on = 0;
        for (int round = 1; round <= 4; round++) {
            double drift = 100 * round; // the machine gets faster every round
            if (AbbaOrder.mode(round).equals("off")) off += drift;
            else on += drift;
        }
        assertEquals(off, on, 1e-9);
    }

    private static RunSettings settings(long messages, int batchSize, int threads) {
        return settings(messages, batchSize, threads, 0);
    }

    private static RunSettings settings(long messages, int batchSize, int threads, double rate) {
        return new RunSettings(RunSettings.RESTART, 6, true, messages, rate, 2, threads, threads, batchSize, Duration.ofSeconds(1), List.of("admin"),
                Path.of("out"), Path.of("a.jar"), Path.of("p.jar"), null, Duration.ofSeconds(1), true, "monasca",
                Duration.ofMillis(100), Duration.ofSeconds(90), Duration.ofSeconds(1), Duration.ofSeconds(5), true, "512m", false,
                Duration.ofSeconds(40), 0, Duration.ofSeconds(2), 40, 8, 1.0, Duration.ofMinutes(4),
                Duration.ofSeconds(20));
    }

    @Test
    void theDefaultsGiveWholeBatchesAndOtherCountsAreFlagged() {
        assertNull(PerfRun.partialBatchNote(settings(160_000, 10_000, 2)));
        String note = PerfRun.partialBatchNote(settings(150_000, 10_000, 2));
        assertTrue(note != null && note.contains("last partial batch waits for maxBatchTime"), note);
    }

    @Test
    void aFixedRateLoadShorterThanAJvmStartIsWarnedOfUpFrontAndRoundByRound() {
        // issue 20: --rate 5000 --duration 2s ran as a backlog (12,300 messages/s received) without a word
        String note = PerfRun.shortLoadNote(settings(10_000, 10_000, 1, 5000));
        assertTrue(note != null && note.startsWith("each round's load lasts 2.0 s (10000 messages at 5,000/s)")
                && note.contains("give a --duration of 20 s or more"), note);
        assertNull(PerfRun.shortLoadNote(settings(150_000, 10_000, 1, 5000)), "30 s of load");
        assertNull(PerfRun.shortLoadNote(settings(10_000, 10_000, 1, 0)), "a backlog run is meant to be one");

        RoundResult round = new RoundResult();
        round.round = 1;
        round.rate = 5000;
        round.persisterStartSeconds = 1.0;   // the load starts when the admin API answers
        round.loadEndSeconds = 3.0;          // 2 s of load
        round.firstReceivedSeconds = 4.2;    // the consumer joined after the load was all produced
        round.receivedThroughput = 12_300;
        assertEquals(1.0, round.producedBeforeFirstReceive(), 1e-9);
        assertTrue(round.rateNote().startsWith("round 1: 100 % of its load at 5,000 messages/s (2.0 s of it) was produced "
                + "before the persister received its first message, 4.2 s after its JVM started: it read them as a backlog "
                + "(12,300 messages received/s), not at the fixed rate"), round.rateNote());
        round.loadEndSeconds = 31.0;         // 30 s of load, 3.2 s of it before the first message
        assertEquals(3.2 / 30, round.producedBeforeFirstReceive(), 1e-9);
        assertNull(round.rateNote());
    }
}
