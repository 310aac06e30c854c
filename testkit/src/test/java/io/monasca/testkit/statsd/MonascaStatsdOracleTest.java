package io.monasca.testkit.statsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the real monasca-statsd client (Debian's python3-monasca-statsd); fails with the install hint without it. */
class MonascaStatsdOracleTest {

    private static final Map<String, String> PERSISTER_DIMENSIONS = dims(
            "service", "monitoring", "component", "monasca-persister", "thread", "metric-1");

    @BeforeAll
    static void clientInstalled() {
        assertTrue(MonascaStatsdOracle.available(), MonascaStatsdOracle.INSTALL_HINT + " (interpreter "
                + MonascaStatsdOracle.interpreter() + ")");
    }

    @Test
    void counterLineAsSeenFromTheClient() {
        assertEquals("monasca.persister.upsert.received:3|c|#{'service': 'monitoring', "
                        + "'component': 'monasca-persister', 'thread': 'metric-1'}",
                MonascaStatsdOracle.render(OracleMetric.counter("monasca.persister.upsert.received", 3,
                        PERSISTER_DIMENSIONS)));
    }

    @Test
    void valuesRatesAndDimensionsAsPythonWritesThem() {
        List<String> lines = MonascaStatsdOracle.render(List.of(
                OracleMetric.gauge("g", 2, Map.of()),
                OracleMetric.timing("t", 0.00001, dims("b", "2", "a", "1")),
                OracleMetric.gauge("big", 1.5e16, Map.of()),
                OracleMetric.counter("c", -4, dims("k", "it's")).withSampleRate(0.25),
                OracleMetric.counter("c1", 1, Map.of()).withSampleRate(1.0),
                new OracleMetric(OracleMetric.Kind.GAUGE, "f", 0.1f, 1.0, Map.of()),
                OracleMetric.gauge("nan", Double.NaN, dims("esc", "tab\there \u00e9"))));

        assertEquals(List.of(
                "g:2.0|g",
                "t:1e-05|g|#{'b': '2', 'a': '1'}", // timers are gauges; dict order is insertion order
                "big:1.5e+16|g",
                "c:-4|c|@0.25|#{'k': \"it's\"}",
                "c1:1|c",
                "f:0.10000000149011612|g",
                "nan:nan|g|#{'esc': 'tab\\there \u00e9'}"), lines);
    }

    @Test
    void pythonReprMatchesTheClientForManyValues() {
        SplittableRandom random = new SplittableRandom(7);
        List<OracleMetric> metrics = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            double millis = random.nextInt(1, 5_000_000) / 1000.0;
            double seconds = millis / 1000;
            metrics.add(OracleMetric.timing("persister.upsert.time", seconds, PERSISTER_DIMENSIONS));
            expected.add("persister.upsert.time:" + PythonRepr.floatStr(seconds) + "|g|#"
                    + PythonRepr.dictRepr(PERSISTER_DIMENSIONS));
        }
        assertEquals(expected, MonascaStatsdOracle.render(metrics));
    }

    @Test
    void everyOracleLineParsesBackAndPassesTheDaemonRules() {
        List<String> lines = MonascaStatsdOracle.render(List.of(
                OracleMetric.counter("monasca.persister.upsert.completed", 10_000, PERSISTER_DIMENSIONS),
                OracleMetric.timing("monasca.persister.flush.time", 0.125, PERSISTER_DIMENSIONS)));
        for (String line : lines) {
            assertEquals(List.of(), MonascaAgentRules.violations(line));
            assertEquals(line, StatsdLine.parse(line).toWireString());
        }
    }

    @Test
    void bufferedModeJoinsLinesAndSendsAnEmptyDatagramWhenNothingIsLeft() {
        List<OracleMetric> four = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            four.add(OracleMetric.counter("n", i, Map.of()));
        }
        assertEquals(List.of("n:1|c\nn:2|c", "n:3|c\nn:4|c", ""), MonascaStatsdOracle.renderDatagrams(four, 2));
        assertEquals(List.of("n:1|c\nn:2|c\nn:3|c"),
                MonascaStatsdOracle.renderDatagrams(four.subList(0, 3), 50));
    }

    private static Map<String, String> dims(String... keysAndValues) {
        Map<String, String> dims = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            dims.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return dims;
    }
}
