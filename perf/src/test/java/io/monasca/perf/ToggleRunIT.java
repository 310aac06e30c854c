package io.monasca.perf;

import com.fasterxml.jackson.databind.JsonNode;
import io.monasca.perf.toggle.DirectCost;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.monasca.testkit.influx.InfluxServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Short toggle runs with everything real (the embedded broker, the sample persister's jar in one child JVM, the
 * agent jar, InfluxDB when installed, the statsd listener, the stand-in Monasca API): in every window each source
 * counts every message produced with the agent on, and none with it off (timing disabled: zero counts; detached:
 * not a line from the agent).
 */
class ToggleRunIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WINDOW = 20_000;

    @TempDir
    Path temp;

    @Test
    void enableModeCountsEveryMessageOfEveryOnWindowInEverySourceAndNoneOfTheOffOnes() throws Exception {
        Path out = temp.resolve("enable");
        // the production path posts at every window edge: the persister under test stores the agent's points between windows
        PerfCliTest.Outcome o = PerfCliTest.perf("run", "--mode", "enable", "--warmup-time", "0s", "--backlog-windows", "4",
                "--rate-windows", "2", "--rate", "20000", "--window-messages", Integer.toString(WINDOW), "--batch-size", "5000",
                "--max-batch-time", "1s", "--path-post-every", "0s", "-o", out.toString());
        assertEquals(0, o.code(), o.out() + o.err());
        assertTrue(o.out().contains("cross-checks: all sources agree with what was produced in every window"), o.out());
        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        JsonNode windows = report.path("windows");
        // warm-up off, on; backlog 1-4; rate: two unmeasured (on, off), then 1-2
        assertEquals(List.of("off", "on", "off", "on", "on", "off", "on", "off", "off", "on"),
                JSON.convertValue(windows.findValuesAsText("mode"), List.class));
        assertEquals(List.of("warm-up", "warm-up", "measured", "measured", "measured", "measured", "settle", "settle", "measured", "measured"),
                JSON.convertValue(windows.findValuesAsText("kind"), List.class));
        boolean influx = InfluxServer.isInstalled();
        long pipeline = 0;
        for (int i = 0; i < windows.size(); i++) {
            JsonNode w = windows.get(i);
            String where = w.path("phase").asText() + " " + w.path("number").asText() + " " + w.path("mode").asText();
            boolean on = w.path("mode").asText().equals("on");
            assertEquals(WINDOW, w.path("produced").asLong(), where);
            assertCounts(w, "admin", WINDOW); // the load alone, though the same persister stored the agent's points
            // the agent timed the persister storing its own points after the window when it was on, but not after the last
            long counted = w.path("pipeline_counted").asLong();
            if (influx && on && i < windows.size() - 1) assertTrue(counted > 0 && counted == w.path("pipeline_after").asLong(), where + ": " + w);
            else assertEquals(0, counted, where);
            pipeline += w.path("pipeline_after").asLong();
            long agent = (on ? WINDOW : 0) + counted;
            assertCounts(w, "statsd", agent);
            if (influx) assertCounts(w, "monasca", agent);
            assertTrue(w.path("cpu").path("us_per_message").asDouble() > 0, where);
            assertTrue(w.path("throughput").asDouble() > 0, where);
            assertDirectCostInputs(w, where);
        }
        JsonNode summary = report.path("summary");
        assertEquals("enable", summary.path("mode").asText());
        assertEquals("backlog", summary.path("headline_phase").asText());
        assertTrue(summary.path("overhead_pct").isNumber(), summary.toString());
        assertEquals(2, summary.path("overhead_ci95").size(), "two pairs: an interval");
        assertTrue(summary.path("overhead_ci95").get(0).asDouble() <= summary.path("overhead_pct").asDouble());
        assertEquals(2, summary.path("overhead_pct_spread").path("pairs").size());
        assertTrue(summary.path("verdict").asText().contains("CPU per message"), summary.toString());
        assertDirectCost(summary);
        // a fixed design (--backlog-windows 4); --warmup-time 0s: one warm-up pair, one settle pair, both by the cap
        assertEquals("windows", summary.path("stopped_by").asText());
        assertTrue(summary.path("precision_pct").isNull() && summary.path("precision_reached_pct").isNumber(), summary.toString());
        assertEquals("cap", summary.path("steady_state").path("warmup").asText());
        assertEquals("cap", summary.path("steady_state").path("rate_settle").asText());
        assertTrue(windows.get(2).path("machine").path("other_processes_ms").isNumber(), windows.get(2).toString());
        assertTrue(windows.get(2).path("cpu").path("handler_us_per_message").asDouble() > 0, windows.get(2).toString());
        assertEquals(1, report.path("phases").path("rate").path("pairs").asInt());
        assertEquals(20_000, report.path("phases").path("rate").path("rate").asDouble());
        assertEquals(10L * WINDOW, summary.path("produced").asLong());
        if (InfluxServer.isInstalled()) assertEquals(10L * WINDOW, summary.path("stored").asLong(), "points InfluxDB holds");
        assertTrue(report.path("complete").asBoolean());
        if (influx) {
            PerfRunIT.assertPathComplete(summary.path("monasca_path"));
            assertEquals(pipeline, summary.path("monasca_path").path("handled_by_persister_under_test").asLong());
            assertEquals(windows.size(), summary.path("monasca_path").path("posts").asInt(), "a post at every edge");
        }
        assertNotNull(ImageIO.read(out.resolve("throughput.png").toFile()));
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("toggle mode `enable`") && md.contains(summary.path("verdict").asText()), md);
        // issue 20: each switch loaded the agent jar again, and the JVM warned of class sharing each time
        String log = Files.readString(out.resolve("persister").resolve("persister.log"));
        assertTrue(log.lines().filter(l -> l.contains("Sharing is only supported")).count() <= 1,
                "the jar is loaded once, by -javaagent; switches go through the agent's MBean: " + log);
        assertEquals(1, log.lines().filter(l -> l.contains("[monasca-agent] INFO started")).count(), log);
        assertEquals(8, log.lines().filter(l -> l.contains("[monasca-agent] INFO timing is now")).count(),
                "a switch where the mode changes, each one done: " + log);
    }

    @Test
    void attachModeSendsNothingAtAllWhileDetachedAndCountsAgainOnceReattached() throws Exception {
        Path out = temp.resolve("attach");
        PerfCliTest.Outcome o = PerfCliTest.perf("run", "--mode", "attach", "--warmup-time", "0s", "--backlog-windows", "4",
                "--rate-windows", "0", "--window-messages", Integer.toString(WINDOW), "--batch-size", "5000",
                "--source", "admin,statsd", "-o", out.toString());
        assertEquals(0, o.code(), o.out() + o.err());
        JsonNode windows = JSON.readTree(out.resolve("report.json").toFile()).path("windows");
        // warm-up off, on; then a settle window after each switch: off, 1 off, settle on, 2 on, 3 on, settle off, 4 off
        assertEquals(List.of("off", "on", "off", "off", "on", "on", "on", "off", "off"),
                JSON.convertValue(windows.findValuesAsText("mode"), List.class));
        int attaches = 0;
        for (JsonNode w : windows) {
            String where = w.path("phase").asText() + " " + w.path("number").asText() + " " + w.path("mode").asText();
            boolean on = w.path("mode").asText().equals("on");
            assertCounts(w, "statsd", on ? WINDOW : 0);
            if (!on) assertEquals(0, w.path("statsd_lines").asLong(), where + ": detached, the agent sends nothing");
            if ("attached".equals(w.path("after_switch").asText())) attaches++;
            assertDirectCostInputs(w, where);
        }
        assertDirectCost(JSON.readTree(out.resolve("report.json").toFile()).path("summary"));
        assertEquals(2, attaches, "attached, detached, attached again");
        String log = Files.readString(out.resolve("persister").resolve("persister.log"));
        assertTrue(log.contains("redefined name=io.monasca.sample.persister.pipeline.MetricHandler, count=4"),
                "two attaches and two detaches, each retransforming the handler: " + log);
    }

    /**
     * Issue 21 point 2: an "on" window has its timed calls (an upsert per message, a flush per batch) and the cost of
     * one, calibrated in the persister at its start edge; an "off" window has no timed call.
     */
    private static void assertDirectCostInputs(JsonNode w, String where) {
        boolean on = w.path("mode").asText().equals("on");
        long calls = w.path("timed_calls").asLong(-1);
        assertTrue(on ? calls > WINDOW && calls <= 2 * WINDOW : calls == 0, where + ": timed calls " + calls);
        double nanos = w.path("ns_per_timed_call").asDouble(-1);
        assertTrue(on ? nanos > 0 && nanos < 10_000 : !w.has("ns_per_timed_call"), where + ": ns per timed call " + nanos);
    }

    private static void assertDirectCost(JsonNode summary) {
        double pct = summary.path("direct_cost_pct").asDouble(-1);
        assertTrue(summary.path("direct_cost_pct").isNumber() && pct > 0 && pct < 100, summary.toString());
        assertEquals(2, summary.path("direct_cost_ci95").size(), "two pairs: an interval");
        assertTrue(summary.path("direct_cost_note").asText().contains("lower bound"), summary.toString());
        assertTrue(List.of(DirectCost.AB_BELOW, DirectCost.AB_ABOVE, DirectCost.AB_INCLUDES)
                .contains(summary.path("direct_cost_flag").asText()), summary.toString());
    }

    private static void assertCounts(JsonNode window, String source, long expected) {
        JsonNode counts = window.path("sources").path(source);
        String where = window.path("phase").asText() + " " + window.path("number").asText() + " " + window.path("mode").asText() + " " + source;
        assertEquals(expected, counts.path("received").asLong(-1), where);
        assertEquals(expected, counts.path("persisted").asLong(-1), where);
    }
}
