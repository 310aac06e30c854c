package io.monasca.perf.toggle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.monasca.perf.cpu.ProcessCpu;
import io.monasca.perf.report.PairedDifferences;
import io.monasca.perf.run.AbbaOrder;
import io.monasca.perf.run.RunSettings;
import io.monasca.perf.source.IntervalTiming;
import io.monasca.perf.source.Reading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The direct-cost estimate (issue 21, point 2): its arithmetic, its interval, its flag, its fields in every mode. */
class DirectCostTest {
    @TempDir
    Path temp;

    private RunSettings settings(String mode) {
        return TestSettings.toggle(mode, temp, 4);
    }

    /**
     * A backlog window of 10,000 messages using {@code micros} of application CPU per message; "on" windows made
     * {@code calls} timed calls, each calibrated at {@code nanos} at the window's start edge.
     */
    private static Window window(int number, double micros, long calls, double nanos) {
        Window w = new Window();
        w.index = number;
        w.phase = Window.Phase.BACKLOG;
        w.number = number;
        w.mode = AbbaOrder.mode(number);
        w.produced = w.received = w.persisted = 10_000;
        w.seconds = 0.5;
        long app = Math.round(micros * 10_000 * 1000);
        w.cpu = new ProcessCpu.Span(app, new long[]{0, 0, app}, new boolean[3], true, 0);
        w.sources.put("admin", new Reading(10_000, 10_000));
        w.sources.put("statsd", w.on() ? new Reading(10_000, 10_000) : Reading.ZERO);
        w.timedCalls = w.on() ? calls : 0;
        if (w.on()) w.callCost = new DirectCost.Calibration(nanos, nanos - 5, nanos + 5, 40, true);
        return w;
    }

    /**
     * Off windows 5 us/msg; on windows 2 timed calls per message (upsert + flush of 10,000 messages in batches... here
     * 20,000 calls) at 50 and 60 ns: 100 / 5000 = 2 % and 120 / 5000 = 2.4 %. The A/B pairs: +10 %, +11 %.
     */
    private static ToggleResult result() {
        ToggleResult r = new ToggleResult();
        r.windows.add(window(1, 5.0, 0, 0));
        r.windows.add(window(2, 5.5, 20_000, 50));
        r.windows.add(window(3, 5.55, 20_000, 60));
        r.windows.add(window(4, 5.0, 0, 0));
        r.produced = r.stored = 40_000;
        return r;
    }

    @Test
    void callsPerMessageTimesTheCalibratedCostOverTheOffWindowsCpuWithItsIntervalOverThePairs() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        assertEquals(0, ToggleReport.write(settings("enable"), new LinkedHashMap<>(), result(), 10,
                new PrintStream(console, true, StandardCharsets.UTF_8)));
        JsonNode s = new ObjectMapper().readTree(temp.resolve("report.json").toFile()).path("summary");
        assertEquals(2.2, s.path("direct_cost_pct").asDouble(), 1e-9);
        // scipy.stats.t.interval(0.95, 1, loc=2.2, scale=0.2) = (-0.341, 4.741)
        assertEquals(-0.34, s.path("direct_cost_ci95").get(0).asDouble(), 1e-9);
        assertEquals(4.74, s.path("direct_cost_ci95").get(1).asDouble(), 1e-9);
        assertEquals(DirectCost.AB_ABOVE, s.path("direct_cost_flag").asText(), "A/B 4.15 .. 16.85 lies above 2.2");
        assertTrue(s.path("direct_cost_note").asText().contains("lower bound"), s.toString());
        assertEquals(2.0, s.path("direct_cost").path("timed_calls_per_message").asDouble(), 1e-9);
        assertEquals(55.0, s.path("direct_cost").path("ns_per_timed_call").asDouble(), 1e-9);
        assertEquals(2, s.path("direct_cost").path("pairs").asInt());
        String md = Files.readString(temp.resolve("report.md"));
        String printed = console.toString(StandardCharsets.UTF_8);
        for (String text : List.of(md, printed)) {
            assertTrue(text.contains("Direct cost of the agent's calls (a lower bound): +2.20 % (95 % CI -0.34 .. 4.74): "
                    + "2.000 timed calls per message x 55.0 ns per timed call"), text);
            assertTrue(text.contains("FLAG: the A/B figure's interval (4.15 .. 16.85 %) lies wholly above it: the agent costs "
                    + "at least 1.95 points more"), text);
        }
        JsonNode second = new ObjectMapper().readTree(temp.resolve("report.json").toFile()).path("windows").get(1);
        assertEquals(20_000, second.path("timed_calls").asLong());
        assertEquals(50.0, second.path("ns_per_timed_call").asDouble(), 1e-9);
        assertEquals(45.0, second.path("ns_per_timed_call_range").get(0).asDouble(), 1e-9);
        assertEquals(55.0, second.path("ns_per_timed_call_range").get(1).asDouble(), 1e-9);
    }

    @Test
    void anAbIntervalBelowTheDirectCostIsFlaggedAsUnderstatingIt() {
        PairedDifferences ab = PairedDifferences.of(List.of(0.1, 0.3)); // 95 % CI -1.07 .. 1.47
        assertEquals(DirectCost.AB_BELOW, DirectCost.flag(ab, 2.2));
        assertEquals(DirectCost.AB_INCLUDES, DirectCost.flag(ab, 1.0));
        assertEquals(DirectCost.AB_ABOVE, DirectCost.flag(ab, -2.0));
        assertNull(DirectCost.flag(PairedDifferences.of(List.of(0.1)), 2.2), "one pair: no interval to compare");
        List<Window> measured = result().windows;
        DirectCost.Estimate e = DirectCost.of(measured, ab, null);
        assertEquals(DirectCost.AB_BELOW, e.flag());
        assertTrue(DirectCost.describe(e, ab).contains("FLAG: the A/B figure's interval (-1.07 .. 1.47 %) lies wholly below it"),
                DirectCost.describe(e, ab));
    }

    @Test
    void withoutCalibrationsOrCountsTheFieldsAreThereNullWithTheReason() throws Exception {
        ToggleResult r = result();
        r.windows.forEach(w -> w.callCost = null);
        r.callCostUnavailable = "the agent's call cost could not be calibrated: timing is off";
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        for (String mode : List.of(RunSettings.ENABLE, RunSettings.ATTACH)) {
            ToggleReport.write(settings(mode), new LinkedHashMap<>(), r, 10, quiet);
            JsonNode s = new ObjectMapper().readTree(temp.resolve("report.json").toFile()).path("summary");
            assertTrue(s.has("direct_cost_pct") && s.path("direct_cost_pct").isNull(), s.toString());
            assertTrue(s.has("direct_cost_ci95") && s.path("direct_cost_ci95").isNull(), s.toString());
            assertEquals(r.callCostUnavailable, s.path("direct_cost_note").asText());
            assertTrue(Files.readString(temp.resolve("report.md")).contains("Direct cost of the agent's calls: not estimated"
                    + " (the agent's call cost could not be calibrated: timing is off)."));
        }
        ToggleResult uncounted = result();
        uncounted.windows.forEach(w -> w.timedCalls = -1);
        assertTrue(DirectCost.of(uncounted.windows, null, null).note().contains("the agent's call counts"));
    }

    @Test
    void aWindowsTimedCallsAreEveryOperationsEndedCallsInItsStatsdIntervals() {
        assertEquals(10_000 + 40 + 3, DirectCost.timedCalls(List.of(new IntervalTiming(1, "upsert", 10_000, 0.01, 0, 1),
                new IntervalTiming(1, "flush", 40, 2, 1, 3), new IntervalTiming(2, "flush", 3, 2, 1, 3))));
    }
}
