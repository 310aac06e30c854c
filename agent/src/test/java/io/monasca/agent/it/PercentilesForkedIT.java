package io.monasca.agent.it;

import io.monasca.testkit.statsd.StatsdLine;
import io.monasca.testkit.statsd.StatsdReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Percentiles from the shipped jar in a forked JVM, against the exact nearest-rank values of the durations the
 * application measured itself: each method measures its own body (inner) and the caller measures around the call
 * (outer); the agent's measurement lies between, so the r-th smallest of the agent's lies between the r-th smallest
 * inner and the r-th smallest outer, and a reported percentile must lie within 1 % of that range.
 */
class PercentilesForkedIT {
    private static final Path JDK = Path.of(System.getProperty("java.home"));
    private static final String P = "monasca.persister.";
    private static final String TARGETS = ",profile=none,op.constant=io.monasca.testapp.Durations[constant]"
            + ",op.bimodal=io.monasca.testapp.Durations[bimodal],op.uniform=io.monasca.testapp.Durations[uniform]"
            + ",op.lognormal=io.monasca.testapp.Durations[lognormal],op.single=io.monasca.testapp.Durations[single]";
    private static final Map<String, Double> PERCENTILES = Map.of("p50", 50.0, "p95", 95.0, "p99", 99.0,
            "p99_9", 99.9);

    @Test
    void injectedDistributionsAreWithinTheBound() throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            // one interval for all the calls: the one sent when the JVM exits
            ForkedApp.Result r = new ForkedApp(JDK).agent("statsd.port=" + statsd.port() + ",interval=1h,per-thread=false"
                    + ",percentiles=50,95,99,99.9" + TARGETS).runToTheEnd(statsd, "durations", "200");
            assertEquals(List.of(), statsd.violations());
            Map<String, List<long[]>> calls = new HashMap<>();
            for (String line : r.stdout()) {
                if (line.startsWith("DURATION ")) {
                    String[] f = line.split(" ");
                    calls.computeIfAbsent(f[1], k -> new ArrayList<>())
                            .add(new long[]{Long.parseLong(f[2]), Long.parseLong(f[3])});
                }
            }
            assertEquals(List.of("bimodal", "constant", "lognormal", "single", "uniform"),
                    calls.keySet().stream().sorted().toList());
            for (Map.Entry<String, List<long[]>> op : calls.entrySet()) {
                long[] inner = op.getValue().stream().mapToLong(c -> c[0]).sorted().toArray();
                long[] outer = op.getValue().stream().mapToLong(c -> c[1]).sorted().toArray();
                assertEquals((double) inner.length, value(statsd, op.getKey() + ".completed"));
                for (Map.Entry<String, Double> p : PERCENTILES.entrySet()) {
                    int rank = (int) Math.ceil(p.getValue() / 100 * inner.length - 1e-9);
                    double reported = value(statsd, op.getKey() + ".time." + p.getKey()) * 1e6;
                    double low = inner[rank - 1] * 0.99;
                    double high = outer[rank - 1] * 1.01;
                    assertTrue(low <= reported && reported <= high, () -> op.getKey() + " " + p.getKey() + ": "
                            + reported + " ns is not within 1 % of [" + inner[rank - 1] + ", " + outer[rank - 1] + "]");
                }
            }
        }
    }

    private static double value(StatsdReceiver statsd, String name) {
        List<StatsdLine> lines = statsd.lines(P + name, Map.of());
        assertEquals(1, lines.size(), () -> P + name + ": " + lines);
        return lines.get(0).value();
    }

    /** A bad list: one message naming key and value, no percentile sent, everything else as usual. */
    @ParameterizedTest
    @ValueSource(strings = {"100", "abc", "1,2,3,4,5,6,7,8,9", "50,95,50"})
    void badPercentilesAreNamedAndTurnedOff(String bad) throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            ForkedApp.Result r = new ForkedApp(JDK).agent("percentiles=" + bad + ",statsd.port=" + statsd.port()
                    + ",op.calc2=io.monasca.testapp.Work[count]").run("isolated");
            r.assertRanCorrectly();
            assertEquals(List.of("[monasca-agent] WARN config: key 'percentiles' = '" + bad + "' (from agent argument):"
                    + " not 'none' or up to 8 distinct percentiles above 0 and below 100 with at most 3 decimals"
                    + " (e.g. 50,95,99.9); using none"), r.agentLog("WARN config:"), r::toString);
            List<StatsdLine> lines = statsd.awaitLines(l -> l.stream().anyMatch(x -> x.name().equals(P + "calc2.time.max")),
                    Duration.ofSeconds(10));
            AgentForkedIT.awaitLastInterval(statsd, 1);
            assertEquals(1.0, value(statsd, "calc2.completed"));
            assertTrue(statsd.lines().stream().noneMatch(l -> l.name().contains(".time.p")), lines::toString);
        }
    }

    /** The default: p50, p95 and p99 on the instance series only. */
    @Test
    void defaultPercentilesOnTheInstanceSeriesOnly() throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            new ForkedApp(JDK).agent("statsd.port=" + statsd.port() + ",op.calc2=io.monasca.testapp.Work[count]")
                    .runToTheEnd(statsd, "isolated");
            List<String> names = statsd.lines().stream().map(StatsdLine::name).filter(n -> n.contains(".time.p"))
                    .sorted().toList();
            assertEquals(List.of(P + "calc2.time.p50", P + "calc2.time.p95", P + "calc2.time.p99"), names);
            StatsdLine p50 = statsd.lines(P + "calc2.time.p50", Map.of()).get(0);
            StatsdLine avg = statsd.lines(P + "calc2.time.avg", Map.of()).get(0);
            assertEquals(avg.dimensions(), p50.dimensions());
            assertEquals("g", p50.type());
            // one call: every percentile is that call, to the nanosecond
            assertEquals(statsd.lines(P + "calc2.time.max", Map.of()).get(0).value(), p50.value(), 0.0005);
        }
    }
}
