package io.monasca.perf.toggle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.monasca.perf.run.PerfRun;
import io.monasca.perf.run.ProcessCpu;
import io.monasca.perf.run.RunSettings;
import io.monasca.perf.source.Reading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToggleReportTest {
    @TempDir
    Path temp;

    private RunSettings settings(String mode) {
        return new RunSettings(mode, 6, true, 160_000, 0, 2, 2, 2, 10_000, Duration.ofSeconds(10), List.of("admin", "statsd"),
                temp, Path.of("a.jar"), Path.of("p.jar"), null, Duration.ofSeconds(1), true, "monasca",
                Duration.ofMillis(100), Duration.ofSeconds(90), Duration.ofSeconds(1), Duration.ofSeconds(5), true, "512m", false,
                Duration.ofSeconds(40), 0, Duration.ofSeconds(2), 4, 2, Duration.ofSeconds(20));
    }

    /** A measured window of 10,000 messages using {@code micros} of application CPU per message. */
    private static Window window(Window.Phase phase, int number, double micros, double seconds) {
        Window w = new Window();
        w.phase = phase;
        w.number = number;
        w.mode = PerfRun.mode(number);
        w.rate = phase == Window.Phase.RATE ? 5000 : 0;
        w.produced = w.received = w.persisted = 10_000;
        w.seconds = seconds;
        long app = Math.round(micros * 10_000 * 1000);
        w.cpu = new ProcessCpu.Span(app + 3_000_000, new long[]{2_000_000, 1_000_000, app}, new boolean[3], true, 0);
        w.sources.put("admin", new Reading(10_000, 10_000));
        w.sources.put("statsd", w.on() ? new Reading(10_000, 10_000) : Reading.ZERO);
        if (w.on()) {
            w.percentiles.add("upsert", "p99", micros / 10);      // one agent interval's p99, in ms
            w.percentiles.add("upsert", "p50", micros / 100);
        }
        return w;
    }

    /** Backlog pairs 10 and 11 % dearer with the agent, rate pairs 2 %; windows of 10,000 messages. */
    private static ToggleResult result() {
        ToggleResult r = new ToggleResult();
        double[] backlog = {5.0, 5.5, 5.55, 5.0};   // off, on, on, off: pairs +10 %, +11 %
        for (int i = 0; i < backlog.length; i++) r.windows.add(window(Window.Phase.BACKLOG, i + 1, backlog[i], 0.5));
        r.windows.add(window(Window.Phase.RATE, 1, 6.0, 2.0));
        r.windows.add(window(Window.Phase.RATE, 2, 6.12, 2.0));
        for (int i = 0; i < r.windows.size(); i++) r.windows.get(i).index = i + 1;
        r.rate = 5000;
        r.produced = 60_000;
        r.stored = 60_000;
        return r;
    }

    @Test
    void theHeadlineIsTheBacklogPhasesCpuPerMessageWithItsInterval() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        int exit = ToggleReport.write(settings("enable"), new LinkedHashMap<>(Map.of("database", "file")), result(), 42.0,
                new PrintStream(console, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, console.toString(StandardCharsets.UTF_8));
        JsonNode json = new ObjectMapper().readTree(temp.resolve("report.json").toFile());
        JsonNode s = json.path("summary");
        assertEquals("enable", s.path("mode").asText());
        assertEquals("backlog", s.path("headline_phase").asText());
        assertEquals(10.5, s.path("overhead_pct").asDouble(), 1e-9);
        // scipy.stats.t.interval(0.95, 1, loc=10.5, scale=0.5) = (4.147, 16.853)
        assertEquals(4.15, s.path("overhead_ci95").get(0).asDouble(), 1e-9);
        assertEquals(16.85, s.path("overhead_ci95").get(1).asDouble(), 1e-9);
        assertEquals(List.of(10.0, 11.0), List.of(s.path("overhead_pct_spread").path("pairs").get(0).asDouble(),
                s.path("overhead_pct_spread").path("pairs").get(1).asDouble()));
        assertTrue(s.path("verdict").asText().startsWith("The agent costs 10.50 % +- 6.35 % CPU per message"), s.toString());
        assertEquals(20_000, s.path("throughput_off").asDouble(), 1e-9);
        assertEquals(0.0, s.path("throughput_overhead_pct").asDouble(), 1e-9);
        assertEquals(60_000, s.path("produced").asLong());
        assertEquals(42.0, s.path("run_seconds").asDouble(), 1e-9);
        JsonNode rate = json.path("phases").path("rate");
        assertEquals(1, rate.path("pairs").asInt());
        assertEquals(2.0, rate.path("overhead_pct").asDouble(), 1e-9);
        assertTrue(rate.path("overhead_ci95").isNull(), "one pair: no interval");
        JsonNode first = json.path("windows").get(0);
        assertEquals(5.0, first.path("cpu").path("us_per_message").asDouble(), 1e-9);
        assertEquals(5.3, first.path("cpu").path("process_us_per_message").asDouble(), 1e-9, "JIT and GC too");
        assertEquals(0.2, first.path("cpu").path("jit_us_per_message").asDouble(), 1e-9);
        assertEquals("measured", first.path("kind").asText());
        assertEquals(0, json.path("rounds").size(), "the field of restart mode is kept, empty");
        assertFalse(Files.readString(temp.resolve("report.json")).contains("NaN"));
        String md = Files.readString(temp.resolve("report.md"));
        assertTrue(md.contains("**The agent costs 10.50 % +- 6.35 % CPU per message") && md.contains("| 1 | backlog 1 | off | 10000 |"), md);
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("cross-checks: all sources agree"));
        // per phase, the percentiles the statsd source received (on windows only): backlog 5.5 and 5.55 us -> p99 0.55, 0.555
        JsonNode p99 = json.path("phases").path("backlog").path("percentiles_ms").path("upsert").path("p99");
        assertEquals(2, p99.path("intervals").asInt());
        assertEquals(0.5525, p99.path("median").asDouble(), 1e-9);
        assertEquals(0.555, p99.path("max").asDouble(), 1e-9);
        assertTrue(md.contains("## Percentiles (statsd source, agent on)") && md.contains("| upsert | p50 | 2 | 0.05")
                && md.contains("| upsert | p99 | 1 | 0.6120 | 0.6120 |"), md);
        assertTrue(ImageIO.read(temp.resolve("throughput.png").toFile()).getHeight() > 900, "three panels");
    }

    @Test
    void aSourceThatDisagreesIsExitThreeAndAFailedRunExitOneWithNullsNotNaN() throws Exception {
        ToggleResult disagreeing = result();
        disagreeing.windows.get(1).mismatches.add("backlog 2 (on): statsd received 9999 != 10000");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(3, ToggleReport.write(settings("attach"), new LinkedHashMap<>(), disagreeing, 1, quiet));
        ToggleResult wrongDatabase = result();
        wrongDatabase.stored = 59_999;
        assertEquals(3, ToggleReport.write(settings("attach"), new LinkedHashMap<>(), wrongDatabase, 1, quiet));

        ToggleResult failed = new ToggleResult();
        failed.errors.add("the run failed: the sample persister exited");
        assertEquals(1, ToggleReport.write(settings("enable"), new LinkedHashMap<>(), failed, 1, quiet));
        String text = Files.readString(temp.resolve("report.json"));
        JsonNode json = new ObjectMapper().readTree(text);
        assertFalse(text.contains("NaN"), text);
        assertTrue(json.path("summary").path("overhead_pct").isNull());
        assertTrue(json.path("summary").path("overhead_ci95").isNull());
        assertFalse(json.path("complete").asBoolean());
        assertTrue(Files.readString(temp.resolve("report.md")).contains("THE RUN FAILED"));
    }

    @Test
    void throughputHasAVerdictAndMeansThatPointAgainstThePairsAreExplained() throws Exception {
        // issue 20: "8.892 us/msg off, 8.852 on: +5.34 %" and "slower by -8.58 %" with no caveat
        ToggleResult r = new ToggleResult();
        double[] cpu = {1.0, 1.12, 15.7, 16.0};      // pairs +12 % and -1.9 %: mean of the pairs +5 %, means on < off
        double[] seconds = {0.5, 0.45, 0.445, 0.5};   // the "on" windows faster
        for (int i = 0; i < cpu.length; i++) {
            Window w = window(Window.Phase.BACKLOG, i + 1, cpu[i], seconds[i]);
            w.index = i + 1;
            r.windows.add(w);
        }
        r.produced = r.stored = 40_000;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ToggleReport.write(settings("enable"), new LinkedHashMap<>(), r, 10, new PrintStream(console, true, StandardCharsets.UTF_8));
        String printed = console.toString(StandardCharsets.UTF_8);
        String md = Files.readString(temp.resolve("report.md"));
        JsonNode s = new ObjectMapper().readTree(temp.resolve("report.json").toFile()).path("summary");
        String throughputVerdict = s.path("throughput_verdict").asText();
        assertTrue(throughputVerdict.startsWith("With the agent on, throughput was ") && throughputVerdict.contains("higher")
                && throughputVerdict.contains("not a gain from the agent"), throughputVerdict);
        for (String text : List.of(printed, md)) {
            assertTrue(text.contains(throughputVerdict), text);
            assertTrue(!text.contains("slower by"), text);
            assertTrue(text.contains("The means of the CPU per message (8.500 us off, 8.410 us on: -1.06 %) and the mean of the "
                    + "pairs' differences (+5.06 %, what the verdict uses) point different ways"), text);
        }
        assertTrue(printed.contains("throughput 20,000 off, 22,347 on metrics/s, per pair +11.74 % (95 % CI"), printed);
    }

    @Test
    void thePlotShowsTheHeadlineThePairsItRestsOnAndClipsWarmUpWithAMarker() throws Exception {
        // issue 20: warm-up points above the measured scale fell off the panel unseen; neither the pairs nor the
        // headline were in the picture
        ToggleResult r = result();
        Window cold = window(Window.Phase.WARMUP, 0, 40.0, 3.0);
        cold.mode = "off";
        r.windows.add(0, cold);
        double start = 0;
        for (int i = 0; i < r.windows.size(); i++) {
            Window w = r.windows.get(i);
            w.index = i + 1;
            w.startSeconds = start;
            start += w.seconds + 0.1;
        }
        List<PhaseSummary> phases = List.of(PhaseSummary.of(Window.Phase.BACKLOG, r.windows), PhaseSummary.of(Window.Phase.RATE, r.windows));
        PhaseSummary headline = ToggleReport.headline(phases);
        String title = ToggleReport.plotTitle(headline);
        assertEquals("Verdict: CPU/message on vs off +10.50 % (95 % CI 4.15 .. 16.85, 2 backlog pairs): the agent costs this", title);
        List<org.knowm.xchart.XYChart> charts = WindowPlot.charts(r.windows, phases, headline, title);
        assertEquals(title, charts.get(0).getTitle(), "the headline on the plot");
        org.knowm.xchart.XYSeries backlogPairs = charts.get(0).getSeriesMap().get("backlog pairs (2)");
        assertEquals(List.of(10.0, 11.0), java.util.Arrays.stream(backlogPairs.getYData()).map(v -> Math.round(v * 1e6) / 1e6).boxed().toList(),
                "the differences the verdict rests on");
        assertTrue(charts.get(0).getSeriesMap().containsKey("mean +10.50 %"), charts.get(0).getSeriesMap().keySet().toString());
        assertTrue(charts.get(0).getSeriesMap().containsKey("95 % CI 4.15 .. 16.85"), charts.get(0).getSeriesMap().keySet().toString());
        assertTrue(charts.get(0).getSeriesMap().containsKey("rate pairs (1)"));
        org.knowm.xchart.XYChart cpu = charts.get(1);
        org.knowm.xchart.XYSeries clipped = cpu.getSeriesMap().get(WindowPlot.CLIPPED);
        assertTrue(clipped != null, "the cold window is drawn, marked: " + cpu.getSeriesMap().keySet());
        assertEquals(1, clipped.getYData().length);
        assertEquals(cpu.getStyler().getYAxisMax(), clipped.getYData()[0], 1e-9, "at the top of the scale");
        assertTrue(cpu.getStyler().getYAxisMax() < 40, "the scale is the measured windows'");
        WindowPlot.write(r.windows, phases, headline, title, temp);
        assertTrue(ImageIO.read(temp.resolve("throughput.png").toFile()).getHeight() >= 4 * 360, "four panels");
    }
}
