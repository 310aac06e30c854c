package io.monasca.agent.export;

import io.monasca.agent.config.AgentSettings;
import io.monasca.agent.recording.Readings;
import io.monasca.agent.recording.Recorder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Percentiles from the real recorder through the aggregator to the lines, for calls of known durations (injected
 * where the advice would measure them): edges with exact answers, distributions within the stated bound.
 */
class PercentilesTest {
    private static final int OP = 0;
    private static final String TAGS = "|#service:monitoring,component:monasca-persister";

    @BeforeEach
    void freshRecorder() {
        Recorder.start(1, true);
    }

    /** The values (ms) of the instance lines of operation {@code upsert} after closing the interval. */
    private static Map<String, Double> interval(String settings) {
        AgentSettings s = AgentSettings.parse("per-thread=false," + settings, new Properties(), Map.of());
        IntervalAggregator a = new IntervalAggregator(s, List.of("upsert"), op -> false);
        LineFormatter f = new LineFormatter(AgentSettings.Format.DOGSTATSD);
        Map<String, Double> values = new TreeMap<>();
        for (Series series : a.aggregate(Recorder.closeInterval(), 0, 0)) {
            String line = f.format(series);
            if (line.startsWith("monasca.persister.upsert.") && line.endsWith(TAGS)) {
                values.put(line.substring("monasca.persister.upsert.".length(), line.indexOf(':')),
                        Double.parseDouble(line.substring(line.indexOf(':') + 1, line.indexOf('|'))));
            }
        }
        return values;
    }

    private static Map<String, Double> interval() {
        return interval("percentiles=50,95,99,99.9");
    }

    @Test
    void oneCallIsEveryPercentileExactly() {
        Readings.record(OP, 1_234_567);
        Map<String, Double> l = interval();
        for (String p : List.of("p50", "p95", "p99", "p99_9")) {
            assertEquals(1.234567, l.get("time." + p), p);
        }
    }

    @Test
    void equalCallsAreExact() {
        Readings.record(OP, 5_000_000, 1000);
        Map<String, Double> l = interval();
        assertEquals(5.0, l.get("time.p50"));
        assertEquals(5.0, l.get("time.p99_9"));
    }

    @Test
    void callsOfZeroNanoseconds() {
        Readings.record(OP, 0, 3);
        Readings.record(OP, 10_000_000);
        Map<String, Double> l = interval("percentiles=50,75,76");
        assertEquals(0.0, l.get("time.p50"));
        assertEquals(0.0, l.get("time.p75"));
        assertEquals(10.0, l.get("time.p76"));
    }

    @Test
    void callsLongerThanAnHour() {
        long hourAndAMinute = 3_660_000_000_000L;
        long threeHours = 10_800_000_000_000L; // beyond the histogram's 2^43 ns: reported as the exact maximum
        Readings.record(OP, hourAndAMinute);
        Map<String, Double> one = interval();
        assertEquals(3_660_000.0, one.get("time.p50"));
        Readings.record(OP, 1_000_000, 998);
        Readings.record(OP, hourAndAMinute);
        Readings.record(OP, threeHours);
        Map<String, Double> l = interval("percentiles=50,99.9,99.95");
        assertWithin(1.0, l.get("time.p50"));
        assertWithin(3_660_000.0, l.get("time.p99_9"));
        assertEquals(10_800_000.0, l.get("time.p99_95"));
    }

    @Test
    void anIntervalWithoutCallsHasNoPercentileLines() {
        Readings.record(OP, 1_000_000);
        interval();
        Map<String, Double> quiet = interval();
        assertEquals(0.0, quiet.get("received"));
        assertTrue(quiet.keySet().stream().noneMatch(k -> k.startsWith("time.")), quiet.toString());
    }

    /** 70,000 calls in one bucket wrap its two-byte count; the carry keeps the ranks exact. */
    @Test
    void countsBeyondTwoBytesStayExact() {
        Readings.record(OP, 1_000_000, 70_000);
        Readings.record(OP, 3_000_000, 10_000);
        Map<String, Double> l = interval("percentiles=50,87.5,87.6");
        assertEquals(80_000.0, l.get("completed"));
        assertWithin(1.0, l.get("time.p50"));
        assertWithin(1.0, l.get("time.p87_5")); // rank 70,000
        assertWithin(3.0, l.get("time.p87_6"));
    }

    /** More buckets wrapping than the carry table holds: that interval has no percentiles, and counts stay. */
    @Test
    void aFullCarryTableDropsThatIntervalsPercentilesOnly() {
        long nanos = 1_000_000;
        for (int bucket = 0; bucket <= io.monasca.agent.recording.Cell.CARRY_ENTRIES; bucket++) {
            Readings.record(OP, nanos, 65_536);
            nanos = nanos * 103 / 100; // the next bucket (buckets are about 2 % wide)
        }
        Map<String, Double> l = interval();
        assertEquals(65.0 * 65_536, l.get("completed"));
        assertTrue(l.keySet().stream().noneMatch(k -> k.startsWith("time.p")), l.toString());
        Readings.record(OP, 2_000_000);
        assertEquals(2.0, interval().get("time.p99"), "the next interval has them again");
    }

    /** Per-thread percentiles only when asked: each is one more series per thread name in Monasca. */
    @Test
    void perThreadPercentilesOnlyWhenAsked() {
        LineFormatter f = new LineFormatter(AgentSettings.Format.DOGSTATSD);
        for (boolean asked : new boolean[]{false, true}) {
            Readings.record(OP, 2_000_000);
            AgentSettings s = AgentSettings.parse("per-thread.percentiles=" + asked, new Properties(), Map.of());
            List<String> lines = new ArrayList<>();
            for (Series series : new IntervalAggregator(s, List.of("upsert"), op -> false)
                    .aggregate(Recorder.closeInterval(), 0, 0)) {
                lines.add(f.format(series));
            }
            String thread = ",thread:" + Thread.currentThread().getName();
            assertTrue(lines.contains("monasca.persister.upsert.time.p99:2.0|g" + TAGS), lines.toString());
            assertTrue(lines.contains("monasca.persister.upsert.thread.time.max:2.0|g" + TAGS + thread), lines.toString());
            assertEquals(asked, lines.contains("monasca.persister.upsert.thread.time.p99:2.0|g" + TAGS + thread),
                    lines.toString());
        }
    }

    @Test
    void percentilesOffSendsNone() {
        Readings.record(OP, 1_000_000);
        Map<String, Double> l = interval("percentiles=none");
        assertEquals(1.0, l.get("time.avg"));
        assertTrue(l.keySet().stream().noneMatch(k -> k.startsWith("time.p")), l.toString());
    }

    @Test
    void distributionsOnSeveralThreadsAreWithinTheBound() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        long[][] perThread = new long[3][20_000];
        for (long[] durations : perThread) {
            for (int i = 0; i < durations.length; i++) {
                double u = random.nextDouble();
                durations[i] = i % 4 == 0 ? (long) Math.exp(13 + 1.5 * random.nextGaussian()) // log-normal
                        : i % 4 == 1 ? (u < 0.9 ? 1_000_000 : 20_000_000)                      // bimodal
                        : i % 4 == 2 ? 1_000_000 + random.nextLong(9_000_001)                  // uniform
                        : random.nextLong(1_000);                                              // sub-microsecond
            }
        }
        List<Thread> threads = new ArrayList<>();
        for (long[] durations : perThread) {
            Thread t = new Thread(() -> {
                for (long d : durations) {
                    Readings.record(OP, d);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long[] all = Arrays.stream(perThread).flatMapToLong(Arrays::stream).sorted().toArray();
        Map<String, Double> l = interval("percentiles=1,25,50,90,99,99.9,99.99,99.999");
        double[] qs = {1, 25, 50, 90, 99, 99.9, 99.99, 99.999};
        String[] labels = {"p1", "p25", "p50", "p90", "p99", "p99_9", "p99_99", "p99_999"};
        for (int i = 0; i < qs.length; i++) {
            int rank = (int) Math.ceil(qs[i] / 100 * all.length - 1e-9);
            assertWithin(all[rank - 1] / 1e6, l.get("time." + labels[i]));
        }
    }

    private static void assertWithin(double exactMillis, double reportedMillis) {
        assertTrue(Math.abs(reportedMillis - exactMillis) <= 0.01 * exactMillis,
                () -> reportedMillis + " ms is not within 1 % of " + exactMillis + " ms");
    }
}
