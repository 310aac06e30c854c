package io.monasca.perf.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.monasca.perf.run.RoundResult;
import io.monasca.perf.run.TimelinePoint;
import io.monasca.perf.source.Reading;
import io.monasca.perf.source.Timing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes report.json (for machines) and report.md (for people) of a {@code perf run}. */
public final class ReportWriter {
    public static final String THROUGHPUT_DEFINITION = "throughput = points persisted in the round / seconds from the "
            + "first metric received to the last point persisted, both instants taken from the admin source's polls "
            + "(midpoint between the poll before and the poll after); the persister's JVM start-up is not included.";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {
    }

    public static ObjectNode json(Map<String, Object> setup, List<RoundResult> rounds, Summary summary,
                                  List<String> mismatches, String plotFile) {
        return json(setup, rounds, summary, mismatches, List.of(), plotFile);
    }

    /** {@code errors}: what made the run fail (a round that failed or timed out, a source that could not be read). */
    public static ObjectNode json(Map<String, Object> setup, List<RoundResult> rounds, Summary summary,
                                  List<String> mismatches, List<String> errors, String plotFile) {
        ObjectNode root = JSON.createObjectNode();
        root.put("tool", "monasca-perf");
        root.set("setup", JSON.valueToTree(setup));
        root.put("throughput_definition", THROUGHPUT_DEFINITION);
        ArrayNode out = root.putArray("rounds");
        for (RoundResult r : rounds) {
            ObjectNode n = out.addObject();
            n.put("round", r.round);
            n.put("mode", r.mode);
            n.put("produced", r.produced);
            n.put("received", r.received);
            n.put("persisted", r.persisted);
            number(n, "seconds", round3(r.seconds));
            number(n, "throughput", round1(r.throughput));
            number(n, "received_throughput", round1(r.receivedThroughput));
            number(n, "admin_api_up_seconds", round3(r.persisterStartSeconds));
            number(n, "first_received_seconds", round3(r.firstReceivedSeconds));
            if (r.stored >= 0) n.put("stored", r.stored);
            ObjectNode sources = n.putObject("sources");
            for (Map.Entry<String, Reading> s : r.sources.entrySet()) {
                sources.putObject(s.getKey()).put("received", s.getValue().received()).put("persisted", s.getValue().persisted());
            }
            ObjectNode timings = n.putObject("timings_ms");
            for (Map.Entry<String, Map<String, Timing>> source : r.timings.entrySet()) {
                ObjectNode bySource = timings.putObject(source.getKey());
                for (Map.Entry<String, Timing> op : source.getValue().entrySet()) {
                    Timing t = op.getValue();
                    ObjectNode timing = bySource.putObject(op.getKey()).put("calls", t.calls());
                    number(timing, "avg", round3(t.avgMs()));
                    number(timing, "min", round3(t.minMs()));
                    number(timing, "max", round3(t.maxMs()));
                }
            }
            n.set("mismatches", JSON.valueToTree(r.mismatches));
            n.set("errors", JSON.valueToTree(r.errors));
            ArrayNode timeline = n.putArray("timeline");
            for (TimelinePoint p : r.timeline) {
                timeline.addArray().add(round3(p.seconds())).add(p.received()).add(p.persisted());
            }
        }
        ObjectNode s = root.putObject("summary");
        number(s, "throughput_off", round1(summary.throughputOff()));
        number(s, "throughput_on", round1(summary.throughputOn()));
        number(s, "overhead_pct", round2(summary.overheadPct()));
        s.put("verdict", summary.verdict());
        ObjectNode spread = s.putObject("overhead_pct_spread");
        number(spread, "min", round2(summary.overheadPctMin()));
        number(spread, "max", round2(summary.overheadPctMax()));
        number(spread, "stddev", round2(summary.overheadPctStddev()));
        number(spread, "mean", round2(summary.overheadPctPairMean()));
        number(spread, "ci95_low", round2(summary.ci95Low()));
        number(spread, "ci95_high", round2(summary.ci95High()));
        ArrayNode pairs = spread.putArray("pairs");
        summary.overheadPctPairs().forEach(p -> {
            if (Double.isFinite(p)) pairs.add(round2(p));
            else pairs.addNull();
        });
        root.set("mismatches", JSON.valueToTree(mismatches));
        root.set("errors", JSON.valueToTree(errors));
        root.put("complete", errors.isEmpty());
        root.put("plot", plotFile);
        return root;
    }

    public static void write(Path folder, ObjectNode report, String markdown) throws IOException {
        Files.createDirectories(folder);
        JSON.writeValue(folder.resolve("report.json").toFile(), report);
        Files.writeString(folder.resolve("report.md"), markdown);
    }

    public static String markdown(Map<String, Object> setup, List<RoundResult> rounds, Summary summary,
                                  List<String> mismatches, String plotFile, List<String> sourceNames) {
        return markdown(setup, rounds, summary, mismatches, List.of(), plotFile, sourceNames);
    }

    public static String markdown(Map<String, Object> setup, List<RoundResult> rounds, Summary summary,
                                  List<String> mismatches, List<String> errors, String plotFile, List<String> sourceNames) {
        StringBuilder md = new StringBuilder();
        md.append("# Monasca persister: agent off vs on\n\n");
        if (!errors.isEmpty()) {
            md.append("**THE RUN FAILED; this report holds the rounds done until then.**\n\n");
            errors.forEach(e -> md.append("- ").append(e.replace("\n", "\n  ")).append('\n'));
            md.append('\n');
        }
        md.append("## Set-up\n\n");
        for (Map.Entry<String, Object> e : setup.entrySet()) {
            md.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        md.append("\n").append(THROUGHPUT_DEFINITION.substring(0, 1).toUpperCase()).append(THROUGHPUT_DEFINITION.substring(1)).append("\n\n");
        md.append("## Summary\n\n");
        md.append("| throughput off (metrics/s) | throughput on (metrics/s) | overhead % | overhead % per pair (min .. max, stddev) "
                + "| mean per pair, 95 % t-interval |\n");
        md.append("|---:|---:|---:|---|---|\n");
        md.append("| ").append(fmt("%.0f", summary.throughputOff())).append(" | ").append(fmt("%.0f", summary.throughputOn()))
                .append(" | ").append(fmt("%.2f", summary.overheadPct())).append(" | ").append(fmt("%.2f", summary.overheadPctMin()))
                .append(" .. ").append(fmt("%.2f", summary.overheadPctMax())).append(", ")
                .append(fmt("%.2f", summary.overheadPctStddev())).append(summary.overheadPctPairs().size() < 2
                        ? " (stddev needs two pairs)" : "").append(" | ").append(fmt("%.2f", summary.overheadPctPairMean()))
                .append(Double.isNaN(summary.ci95Low()) ? " (the interval needs two pairs)" : ", " + fmt("%.2f", summary.ci95Low())
                        + " .. " + fmt("%.2f", summary.ci95High())).append(" |\n\n");
        md.append("Overhead = 100 x (off - on) / off of the mean throughputs, positive when the agent slows the persister; "
                + "per pair, the same over the pair's two rounds. ").append(summary.verdict()).append("\n\n");
        md.append("## Rounds\n\n");
        md.append("| round | mode | produced | received | persisted | seconds | throughput (metrics/s) | received/s | in database | start to first receive (s) |\n");
        md.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RoundResult r : rounds) {
            md.append(String.format(Locale.ROOT, "| %d | %s | %d | %d | %d | %.3f | %.0f | %.0f | %s | %.1f |%n", r.round, r.mode, r.produced,
                    r.received, r.persisted, r.seconds, r.throughput, r.receivedThroughput, r.stored >= 0 ? Long.toString(r.stored) : "-",
                    r.firstReceivedSeconds));
        }
        md.append("\nReceived/s: messages received / seconds from the first to the last one received (the persister "
                + "receives ahead of persisting, up to a batch per thread).\n");
        md.append("Start to first receive: from starting the persister's JVM to its first message (JVM and agent "
                + "start-up, Kafka group join); not part of the throughput.\n");
        md.append("\n## What each source saw (received / persisted)\n\n");
        md.append("| round | mode |");
        sourceNames.forEach(s -> md.append(' ').append(s).append(" |"));
        md.append("\n|---:|---|");
        sourceNames.forEach(s -> md.append("---|"));
        md.append('\n');
        for (RoundResult r : rounds) {
            md.append("| ").append(r.round).append(" | ").append(r.mode).append(" |");
            for (String s : sourceNames) {
                Reading reading = r.sources.get(s);
                md.append(' ').append(reading == null ? "- (agent off)" : reading.received() + " / " + reading.persisted()).append(" |");
            }
            md.append('\n');
        }
        md.append("\n## Call times (ms, agent on)\n\n");
        md.append("| round | source | operation | calls | avg | min | max |\n|---:|---|---|---:|---:|---:|---:|\n");
        for (RoundResult r : rounds) {
            for (Map.Entry<String, Map<String, Timing>> source : r.timings.entrySet()) {
                for (Map.Entry<String, Timing> op : source.getValue().entrySet()) {
                    Timing t = op.getValue();
                    md.append(String.format(Locale.ROOT, "| %d | %s | %s | %d | %s | %s | %s |%n", r.round, source.getKey(),
                            op.getKey(), t.calls(), fmt("%.3f", t.avgMs()), fmt("%.3f", t.minMs()), fmt("%.3f", t.maxMs())));
                }
            }
        }
        md.append("\n## Cross-checks\n\n");
        if (mismatches.isEmpty()) {
            md.append("All sources agree with the produced count and with what the database holds.\n");
        } else {
            md.append("**Mismatches:**\n\n");
            mismatches.forEach(m -> md.append("- ").append(m).append('\n'));
        }
        md.append("\n## Plot\n\n![throughput and call times](").append(plotFile).append(")\n");
        String omitted = PlotWriter.omittedPanels(rounds);
        if (omitted != null) md.append("\n").append(omitted).append('\n');
        return md.toString();
    }

    /** JSON has no NaN: an unknown number (no rounds of a mode, one pair's stddev...) is written as null. */
    static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) node.put(field, value);
        else node.putNull(field);
    }

    /** A number for report.md, "-" when unknown. */
    static String fmt(String format, double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, format, value) : "-";
    }

    static double round1(double v) {
        return Double.isFinite(v) ? Math.round(v * 10) / 10.0 : Double.NaN;
    }

    static double round2(double v) {
        return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : Double.NaN;
    }

    static double round3(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : Double.NaN;
    }
}
