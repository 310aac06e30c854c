package io.monasca.agent.export;

import io.monasca.agent.config.AgentSettings;
import io.monasca.agent.recording.CellReading;
import io.monasca.agent.recording.Readings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IntervalAggregatorTest {
    private static IntervalAggregator aggregator(String argument) {
        AgentSettings settings = AgentSettings.parse(argument, new Properties(), Map.of());
        return new IntervalAggregator(settings, List.of("upsert", "flush"), op -> op == 0);
    }

    private static Map<String, String> lines(List<Series> series) {
        LineFormatter f = new LineFormatter(AgentSettings.Format.DOGSTATSD);
        return series.stream().map(f::format).collect(Collectors.toMap(
                l -> l.substring(0, l.indexOf(':')) + l.substring(l.indexOf("|#")), l -> l.substring(l.indexOf(':') + 1, l.indexOf('|'))));
    }

    @Test
    void instanceAndThreadSeriesWithTimesOnlyWhenCallsEnded() {
        IntervalAggregator a = aggregator("per-thread=true");
        List<CellReading> readings = List.of(
                Readings.of(0, "metric-0", 3, 2, 1, 10, 6_000_000, 1_000_000, 3_000_000),
                Readings.of(0, "metric-1", 1, 1, 0, 4, 5_000_000, 5_000_000, 5_000_000));
        Map<String, String> l = lines(a.aggregate(readings, 0, 0));
        String instance = "|#service:monitoring,component:monasca-persister";
        assertEquals("4", l.get("monasca.persister.upsert.received" + instance));
        assertEquals("3", l.get("monasca.persister.upsert.completed" + instance));
        assertEquals("1", l.get("monasca.persister.upsert.failed" + instance));
        assertEquals("14", l.get("monasca.persister.upsert.items" + instance));
        assertEquals("2.75", l.get("monasca.persister.upsert.time.avg" + instance));
        assertEquals("1.0", l.get("monasca.persister.upsert.time.min" + instance));
        assertEquals("5.0", l.get("monasca.persister.upsert.time.max" + instance));
        assertEquals("2.0", l.get("monasca.persister.upsert.thread.time.avg" + instance + ",thread:metric-0"));
        assertEquals("1", l.get("monasca.persister.upsert.thread.completed" + instance + ",thread:metric-1"));
        assertEquals("0", l.get("monasca.persister.agent.errors" + instance));
        assertTrue(l.keySet().stream().noneMatch(k -> k.startsWith("monasca.persister.flush.")), "flush never called");

        // a quiet interval: counters 0, no times
        Map<String, String> quiet = lines(a.aggregate(List.of(Readings.quiet(0, "metric-0")), 0, 0));
        assertEquals("0", quiet.get("monasca.persister.upsert.received" + instance));
        assertTrue(quiet.keySet().stream().noneMatch(k -> k.contains("time.")), quiet.toString());
        // every thread gone: the operation still reports zeros
        Map<String, String> none = lines(a.aggregate(List.of(), 2, 1));
        assertEquals("0", none.get("monasca.persister.upsert.completed" + instance));
        assertEquals("2", none.get("monasca.persister.agent.errors" + instance));
        assertEquals("1", none.get("monasca.persister.agent.send_failures" + instance));
    }

    @Test
    void threadsBeyondTheCapAreSummedAsOther() {
        IntervalAggregator a = aggregator("per-thread.max=2");
        List<CellReading> readings = List.of(
                Readings.of(1, "t1", 1, 1, 0, 0, 1, 1, 1), Readings.of(1, "t2", 1, 1, 0, 0, 1, 1, 1),
                Readings.of(1, "t3", 1, 1, 0, 0, 1, 1, 1), Readings.of(1, "t4", 1, 1, 0, 0, 1, 1, 1));
        Map<String, String> l = lines(a.aggregate(readings, 0, 0));
        String base = "monasca.persister.flush.thread.received|#service:monitoring,component:monasca-persister,thread:";
        assertEquals("1", l.get(base + "t1"));
        assertEquals("1", l.get(base + "t2"));
        assertEquals("2", l.get(base + "other"));
        assertTrue(l.keySet().stream().noneMatch(k -> k.contains("flush.items")), "flush does not count items here");
    }

    /** Monasca keeps every dimension set for good: a name's slot is not freed when its threads end. */
    @Test
    void threadNamesStayCappedOverTheJvmLife() {
        IntervalAggregator a = aggregator("per-thread.max=1");
        String base = "monasca.persister.upsert.thread.received|#service:monitoring,component:monasca-persister,thread:";
        assertEquals("1", lines(a.aggregate(List.of(Readings.of(0, "pool-1", 1, 1, 0, 0, 1, 1, 1)), 0, 0)).get(base + "pool-1"));
        assertEquals("1", lines(a.aggregate(List.of(Readings.of(0, "pool-2", 1, 1, 0, 0, 1, 1, 1)), 0, 0)).get(base + "other"));
        a.aggregate(List.of(Readings.last(0, "pool-1")), 0, 0);
        assertEquals("1", lines(a.aggregate(List.of(Readings.of(0, "pool-3", 1, 1, 0, 0, 1, 1, 1)), 0, 0)).get(base + "other"));
        assertEquals("1", lines(a.aggregate(List.of(Readings.of(0, "pool-1", 1, 1, 0, 0, 1, 1, 1)), 0, 0)).get(base + "pool-1"),
                "a name once sent keeps its series");
    }

    @Test
    void threadNamesAreSanitizedBeforeGrouping() {
        IntervalAggregator a = aggregator("");
        Map<String, String> l = lines(a.aggregate(List.of(Readings.of(0, "pool 'a'", 1, 1, 0, 0, 1, 1, 1),
                Readings.of(0, "pool _a_", 1, 1, 0, 0, 1, 1, 1)), 0, 0));
        assertEquals("2", l.get("monasca.persister.upsert.thread.received|#service:monitoring,component:monasca-persister,"
                + "thread:pool _a_"));
    }
}
