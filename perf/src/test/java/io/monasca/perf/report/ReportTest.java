package io.monasca.perf.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.monasca.perf.run.IntervalTiming;
import io.monasca.perf.run.RoundResult;
import io.monasca.perf.run.TimelinePoint;
import io.monasca.perf.source.Reading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
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
        r.sources.put("admin", new Reading(1000, 1000));
        for (int i = 0; i <= 10; i++) r.timeline.add(new TimelinePoint(1 + i * 0.5, i * 100, i * 100));
        if (mode.equals("on")) r.intervals.add(new IntervalTiming(1, "flush", 2, 5, 4, 6));
        return r;
    }

    @Test
    void summaryComparesMeansAndSpreadsPairs() {
        List<RoundResult> rounds = List.of(round(1, "off", 1000), round(2, "on", 900), round(3, "off", 1200), round(4, "on", 1200));
        Summary s = Summary.of(rounds);
        assertEquals(1100, s.throughputOff(), 1e-9);
        assertEquals(1050, s.throughputOn(), 1e-9);
        assertEquals(100.0 * 50 / 1100, s.overheadPct(), 1e-9);
        assertEquals(List.of(10.0, 0.0), s.overheadPctPairs());
        assertEquals(0.0, s.overheadPctMin());
        assertEquals(10.0, s.overheadPctMax());
        assertEquals(Math.sqrt(50), s.overheadPctStddev(), 1e-9);
    }

    @Test
    void onePairHasNoStddevAndNoRoundsOfAModeGiveNullNotNaN() throws Exception {
        assertTrue(Double.isNaN(Summary.of(List.of(round(1, "off", 1000), round(2, "on", 900))).overheadPctStddev()));
        List<RoundResult> onlyOff = List.of(round(1, "off", 1000));
        Summary summary = Summary.of(onlyOff);
        JsonNode json = ReportWriter.json(Map.of(), onlyOff, summary, List.of(), List.of("round 2 failed: boom"), "throughput.png");
        String text = new ObjectMapper().writeValueAsString(json);
        assertTrue(!text.contains("NaN"), text);
        for (String field : List.of("throughput_on", "overhead_pct")) assertTrue(json.path("summary").path(field).isNull(), field);
        assertTrue(json.path("summary").path("overhead_pct_spread").path("stddev").isNull());
        assertEquals(false, json.path("complete").asBoolean());
        String md = ReportWriter.markdown(Map.of(), onlyOff, summary, List.of(), List.of("round 2 failed: boom"), "p.png", List.of("admin"));
        assertTrue(!md.contains("NaN") && md.contains("THE RUN FAILED") && md.contains("round 2 failed: boom"), md);
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
        assertEquals(5.0, json.path("summary").path("overhead_pct").asDouble(), 1e-9);
        JsonNode spread = json.path("summary").path("overhead_pct_spread");
        assertTrue(spread.has("stddev") && spread.path("stddev").isNull(), "one pair: stddev unknown, null: " + spread);
        assertEquals(5.0, spread.path("min").asDouble(), 1e-9);
        assertTrue(!Files.readString(temp.resolve("report.json")).contains("NaN"));
        assertEquals(1, json.path("mismatches").size());
        String md = Files.readString(temp.resolve("report.md"));
        assertTrue(md.contains("| 2 | on | 1000 | 1000 | 1000 |"), md);
        assertTrue(md.contains("**Mismatches:**"), md);
        assertTrue(md.contains("![throughput and call times](throughput.png)"));
    }
}
