package io.monasca.perf.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.monasca.perf.run.IntervalTiming;
import io.monasca.perf.run.PerfRun;
import io.monasca.perf.run.ProcessCpu;
import io.monasca.perf.run.RoundResult;
import io.monasca.perf.run.TimelinePoint;
import io.monasca.perf.source.Reading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {
    @TempDir
    Path temp;

    private static RoundResult round(int n, String mode, double throughput) {
        RoundResult r = new RoundResult();
        r.round = n;
        r.mode = mode;
        r.produced = r.received = r.persisted = 1000;
        r.throughput = throughput;
        r.seconds = 1000 / throughput;
        r.firstReceivedSeconds = 1;
        r.cpu = cpu(5_000_000); // 5 us per message
        r.sources.put("admin", new Reading(1000, 1000));
        for (int i = 0; i <= 10; i++) r.timeline.add(new TimelinePoint(1 + i * 0.5, i * 100, i * 100));
        if (mode.equals("on")) r.intervals.add(new IntervalTiming(1, "flush", 2, 5, 4, 6));
        return r;
    }

    /** A span of the application threads' CPU time alone (no JIT, no GC), every thread still alive. */
    static ProcessCpu.Span cpu(long applicationNanos) {
        return new ProcessCpu.Span(applicationNanos, new long[]{0, 0, applicationNanos}, new boolean[3], true, 0);
    }

    @Test
    void summaryComparesCpuThroughputAndStartUpOverPairsOfRounds() {
        List<RoundResult> rounds = List.of(round(1, "off", 1000), round(2, "on", 900), round(3, "on", 1200), round(4, "off", 1200));
        rounds.get(1).cpu = cpu(5_100_000);
        rounds.get(2).cpu = cpu(5_300_000);
        rounds.get(1).firstReceivedSeconds = 1.5;
        rounds.get(2).firstReceivedSeconds = 1.25;
        Summary s = Summary.of(rounds);
        assertEquals(5.0, s.cpuOff(), 1e-9);
        assertEquals(5.2, s.cpuOn(), 1e-9);
        assertEquals(List.of(2.0, 6.0), rounds(s.cpu().differences()), "CPU per message: 100 x (on - off) / off per pair");
        assertEquals(4.0, s.overheadPct(), 1e-9);
        assertEquals(1100, s.throughputOff(), 1e-9);
        assertEquals(1050, s.throughputOn(), 1e-9);
        assertEquals(List.of(10.0, 0.0), rounds(s.throughput().differences()), "throughput: 100 x (off - on) / off per pair");
        assertEquals(List.of(0.5, 0.25), rounds(s.startup().differences()), "start-up: seconds added per pair");
        assertEquals("Start-up (JVM start to first message received): no difference distinguishable from zero at +-1.59 s "
                + "(95 % t-interval -1.21 .. 1.96 s over 2 pairs of rounds).", s.startupVerdict());
    }

    private static List<Double> rounds(List<Double> values) {
        return values.stream().map(v -> Math.round(v * 1e6) / 1e6).toList();
    }

    @Test
    void onePairHasNoIntervalAndNoRoundsOfAModeGiveNullNotNaN() throws Exception {
        Summary onePair = Summary.of(List.of(round(1, "off", 1000), round(2, "on", 900)));
        assertTrue(Double.isNaN(onePair.cpu().stddev()) && Double.isNaN(onePair.cpu().ci95Low()));
        assertTrue(onePair.verdict().startsWith("One off/on pair only: the run-to-run spread is unknown"), onePair.verdict());
        List<RoundResult> onlyOff = List.of(round(1, "off", 1000));
        Summary summary = Summary.of(onlyOff);
        JsonNode json = ReportWriter.json(Map.of(), onlyOff, summary, List.of(), List.of("round 2 failed: boom"), "throughput.png");
        String text = new ObjectMapper().writeValueAsString(json);
        assertTrue(!text.contains("NaN"), text);
        for (String field : List.of("throughput_on", "overhead_pct", "overhead_ci95", "cpu_us_per_message_on")) {
            assertTrue(json.path("summary").path(field).isNull(), field);
        }
        assertTrue(json.path("summary").path("overhead_pct_spread").path("stddev").isNull());
        assertEquals("restart", json.path("summary").path("mode").asText());
        assertEquals(false, json.path("complete").asBoolean());
        String md = ReportWriter.markdown(Map.of(), onlyOff, summary, List.of(), List.of("round 2 failed: boom"), "p.png", List.of("admin"));
        assertTrue(!md.contains("NaN") && md.contains("THE RUN FAILED") && md.contains("round 2 failed: boom"), md);
    }

    @Test
    void theVerdictAndTheIntervalInReportJsonAreTheCpuPerMessages() {
        List<RoundResult> rounds = new ArrayList<>();
        double[] overheads = {10, 12, 11, 9};
        for (double overhead : overheads) {
            int n = rounds.size() + 1;
            RoundResult first = round(n, PerfRun.mode(n), 1000);
            RoundResult second = round(n + 1, PerfRun.mode(n + 1), 1000);
            (first.mode.equals("on") ? first : second).cpu = cpu(Math.round(5_000_000 * (1 + overhead / 100)));
            rounds.add(first);
            rounds.add(second);
        }
        Summary summary = Summary.of(rounds);
        // scipy.stats.t.interval(0.95, 3, loc=10.5, scale=stats.sem([10, 12, 11, 9])) = (8.446, 12.554)
        assertTrue(summary.verdict().startsWith("The agent costs 10.50 % +- 2.05 % CPU per message (95 % t-interval 8.45 .. 12.55 % "
                + "over 4 pairs of rounds)"), summary.verdict());
        JsonNode json = ReportWriter.json(Map.of(), rounds, summary, List.of(), "p.png");
        assertEquals(10.5, json.path("summary").path("overhead_pct").asDouble(), 1e-9);
        assertEquals(8.45, json.path("summary").path("overhead_ci95").get(0).asDouble(), 1e-9);
        assertEquals(12.55, json.path("summary").path("overhead_ci95").get(1).asDouble(), 1e-9);
        assertEquals(summary.verdict(), json.path("summary").path("verdict").asText());
        assertEquals(4, json.path("summary").path("overhead_pct_spread").path("pairs").size());
        assertEquals("Verdict: CPU/message on vs off +10.50 % (95 % CI 8.45 .. 12.55, 4 round pairs): the agent costs this",
                ReportWriter.plotHeadline(summary.cpu(), "round pair"), "the plot's headline");
    }

    /** Pixels of about this colour in the plot area (left of the legend) of panel {@code panel} of {@code panels}. */
    private static int pixels(BufferedImage image, Color colour, int panel, int panels) {
        int height = image.getHeight() / panels;
        int count = 0;
        for (int y = panel * height + 30; y < (panel + 1) * height - 40; y++) {
            for (int x = 60; x < 790; x++) {
                Color c = new Color(image.getRGB(x, y));
                if (Math.abs(c.getRed() - colour.getRed()) + Math.abs(c.getGreen() - colour.getGreen())
                        + Math.abs(c.getBlue() - colour.getBlue()) < 40) count++;
            }
        }
        return count;
    }

    @Test
    void everyRoundIsDrawnEvenWhenItsPointsAllLandBetweenTwoPolls() throws Exception {
        RoundResult off = round(1, "off", 1000);
        // a short round: everything persisted between two polls 100 ms apart, 0.6 s after the first receive
        RoundResult on = round(2, "on", 20000 / 0.55);
        on.timeline.clear();
        on.firstReceivedSeconds = 1.0;
        for (int i = 2; i <= 16; i++) on.timeline.add(new TimelinePoint(i / 10.0, i >= 10 ? 20000 : 0, i == 16 ? 20000 : 0));
        on.intervals.add(new IntervalTiming(1.55, "upsert", 20000, 0.05, 0.01, 3));  // one interval each: single points
        BufferedImage image = ImageIO.read(PlotWriter.write(List.of(off, on), temp).toFile());
        Color blue = new Color(31, 119, 180);
        Color orange = new Color(255, 127, 14);
        assertTrue(pixels(image, blue, 0, 3) > 50, "round 1's line");
        assertTrue(pixels(image, orange, 0, 3) > 50, "round 2's line, though no two polls span a second of it");
        assertTrue(pixels(image, orange, 1, 3) > 10, "the upsert panel shows its single interval");
        assertTrue(pixels(image, orange, 2, 3) > 10, "the flush panel shows its single interval");
        assertEquals(null, PlotWriter.omittedPanels(List.of(off, on)));
    }

    @Test
    void withoutAgentIntervalsTheCallTimePanelsAreLeftOutWithANote() throws Exception {
        List<RoundResult> rounds = List.of(round(1, "off", 1000), round(2, "off", 1000));
        BufferedImage image = ImageIO.read(PlotWriter.write(rounds, temp).toFile());
        assertTrue(image.getHeight() < 400, "one panel only: " + image.getHeight());
        String md = ReportWriter.markdown(Map.of(), rounds, Summary.of(rounds), List.of(), "p.png", List.of("admin"));
        assertTrue(md.contains("The plot has no upsert and no flush time panel: no agent interval"), md);
    }

    @Test
    void writesJsonMarkdownAndAPng() throws Exception {
        List<RoundResult> rounds = new ArrayList<>(List.of(round(1, "off", 1000), round(2, "on", 950)));
        rounds.get(1).mismatches.add("round 2 (on): statsd persisted 999 != produced 1000");
        Summary summary = Summary.of(rounds);
        Map<String, Object> setup = new LinkedHashMap<>(Map.of("database", "file"));
        Path plot = PlotWriter.write(rounds, temp);
        BufferedImage image = ImageIO.read(plot.toFile());
        assertTrue(image.getWidth() >= 1000 && image.getHeight() > 400, "a real PNG with the throughput and flush charts");
        List<String> mismatches = rounds.get(1).mismatches;
        ReportWriter.write(temp, ReportWriter.json(setup, rounds, summary, mismatches, plot.getFileName().toString()),
                ReportWriter.markdown(setup, rounds, summary, mismatches, "throughput.png", List.of("admin", "statsd")));
        JsonNode json = new ObjectMapper().readTree(temp.resolve("report.json").toFile());
        JsonNode r2 = json.path("rounds").get(1);
        assertEquals("on", r2.path("mode").asText());
        for (String field : List.of("produced", "received", "persisted", "seconds", "throughput")) {
            assertTrue(r2.path(field).isNumber(), field);
        }
        assertEquals(0.0, json.path("summary").path("overhead_pct").asDouble(), 1e-9, "the same CPU per message off and on");
        assertEquals(5.0, json.path("summary").path("throughput_overhead_pct").asDouble(), 1e-9);
        JsonNode spread = json.path("summary").path("throughput_overhead_pct_spread");
        assertTrue(spread.has("stddev") && spread.path("stddev").isNull(), "one pair: stddev unknown, null: " + spread);
        assertEquals(5.0, spread.path("min").asDouble(), 1e-9);
        assertEquals(5.0, r2.path("cpu").path("us_per_message").asDouble(), 1e-9);
        assertTrue(!Files.readString(temp.resolve("report.json")).contains("NaN"));
        assertEquals(1, json.path("mismatches").size());
        String md = Files.readString(temp.resolve("report.md"));
        assertTrue(md.contains("| 2 | on | 1000 | 1000 | 1000 |"), md);
        assertTrue(md.contains("**Mismatches:**"), md);
        assertTrue(md.contains("![throughput and call times](throughput.png)"));
    }

    @Test
    void theRestartReportGivesThroughputAVerdictAndNeverSaysSlowerByANegative() {
        // issue 20: the restart summary printed "slower by -31.68 %"
        List<RoundResult> rounds = List.of(round(1, "off", 1000), round(2, "on", 1300), round(3, "on", 1330), round(4, "off", 1010));
        Summary summary = Summary.of(rounds);
        assertTrue(summary.throughputVerdict().startsWith("With the agent on, throughput was 30.84 % +- "), summary.throughputVerdict());
        assertTrue(summary.throughputVerdict().contains("not a gain from the agent"), summary.throughputVerdict());
        String md = ReportWriter.markdown(Map.of(), rounds, summary, List.of(), "p.png", List.of("admin"));
        assertTrue(md.contains(summary.throughputVerdict()), md);
        assertTrue(md.contains("| throughput (metrics/s) | 1005 | 1315 | +30.84 % (95 % CI "), md);
        assertTrue(!md.contains("slower by"), md);
        JsonNode json = ReportWriter.json(Map.of(), rounds, summary, List.of(), "p.png");
        assertEquals(summary.throughputVerdict(), json.path("summary").path("throughput_verdict").asText());
        assertEquals(-30.84, json.path("summary").path("throughput_overhead_pct").asDouble(), 0.01, "the JSON field keeps its sign");
    }

    @Test
    void roundsWhoseFixedRateWasABacklogAreSaidToBeSo() throws Exception {
        List<RoundResult> rounds = List.of(round(1, "off", 1000), round(2, "on", 1000));
        for (RoundResult r : rounds) {
            r.rate = 5000;
            r.persisterStartSeconds = 0.5;
            r.loadEndSeconds = 2.5;
            r.firstReceivedSeconds = 4;
        }
        Summary summary = Summary.of(rounds);
        String md = ReportWriter.markdown(Map.of(), rounds, summary, List.of(), "p.png", List.of("admin"));
        assertTrue(md.contains("**THE FIXED RATE WAS NOT KEPT in 2 of 2 rounds: they measured a backlog run.**"), md);
        assertTrue(md.contains("- round 2: 100 % of its load at 5,000 messages/s"), md);
        JsonNode json = ReportWriter.json(Map.of(), rounds, summary, List.of(), "p.png");
        assertEquals(2, json.path("summary").path("rate_not_kept").size());
        assertEquals(100.0, json.path("rounds").get(0).path("produced_before_first_receive_pct").asDouble(), 1e-9);
    }
}
