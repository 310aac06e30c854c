package io.monasca.perf.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.monasca.perf.result.RoundResult;
import io.monasca.perf.result.TimelinePoint;
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

    /** Why a restart run has no direct-cost estimate (report.json's {@code summary.direct_cost_note}). */
    public static final String RESTART_DIRECT_COST = "not estimated in restart mode: each round is a new persister JVM "
            + "measured from its start (class loading, JIT) and perf does not reach the agent inside it, so no call cost "
            + "is calibrated at a steady state; --mode enable or attach estimate it";
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
            if (r.rate > 0) {
                number(n, "rate", r.rate);
                number(n, "produced_before_first_receive_pct", round1(100 * r.producedBeforeFirstReceive()));
                if (r.rateNote() != null) n.put("rate_note", r.rateNote());
            }
            ObjectNode cpu = n.putObject("cpu");
            number(cpu, "us_per_message", round3(r.cpuMicrosPerMessage()));
            number(cpu, "jit_us_per_message", round3(r.jitMicrosPerMessage()));
            number(cpu, "gc_us_per_message", round3(r.gcMicrosPerMessage()));
            if (r.stored >= 0) n.put("stored", r.stored);
            n.put("pipeline_after", r.pipelineAfter);
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
        s.put("mode", "restart");
        number(s, "overhead_pct", round2(summary.overheadPct()));
        ci(s, "overhead_ci95", summary.cpu());
        s.putNull("direct_cost_pct");
        s.putNull("direct_cost_ci95");
        s.put("direct_cost_note", RESTART_DIRECT_COST);
        s.putNull("direct_cost_flag");
        s.put("verdict", summary.verdict());
        s.put("throughput_verdict", summary.throughputVerdict());
        s.set("rate_not_kept", JSON.valueToTree(rounds.stream().map(RoundResult::rateNote).filter(java.util.Objects::nonNull).toList()));
        // restart mode is a fixed design of --rounds: what a toggle run's fixed design says, no target, no budget
        s.put("stopped_by", "windows");
        number(s, "precision_reached_pct", round2(summary.cpu().halfWidth()));
        s.putNull("precision_pct");
        s.putNull("max_time_seconds");
        s.set("overhead_pct_spread", spread(summary.cpu()));
        number(s, "cpu_us_per_message_off", round3(summary.cpuOff()));
        number(s, "cpu_us_per_message_on", round3(summary.cpuOn()));
        number(s, "throughput_off", round1(summary.throughputOff()));
        number(s, "throughput_on", round1(summary.throughputOn()));
        number(s, "throughput_overhead_pct", round2(summary.throughput().mean()));
        ci(s, "throughput_overhead_ci95", summary.throughput());
        s.set("throughput_overhead_pct_spread", spread(summary.throughput()));
        ObjectNode startup = s.putObject("startup");
        number(startup, "seconds_off", round3(summary.startupOff()));
        number(startup, "seconds_on", round3(summary.startupOn()));
        number(startup, "added_seconds", round3(summary.startup().mean()));
        ci(startup, "added_ci95", summary.startup(), 3);
        ArrayNode startupPairs = startup.putArray("pairs");
        summary.startup().differences().forEach(d -> startupPairs.add(round3(d)));
        startup.put("verdict", summary.startupVerdict());
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
        return markdown(setup, rounds, summary, mismatches, errors, plotFile, sourceNames, false);
    }

    /** {@code stopped}: the run was stopped half-way (Ctrl-C, SIGTERM); the report says first that it is incomplete. */
    public static String markdown(Map<String, Object> setup, List<RoundResult> rounds, Summary summary, List<String> mismatches,
                                  List<String> errors, String plotFile, List<String> sourceNames, boolean stopped) {
        StringBuilder md = new StringBuilder();
        md.append("# Monasca persister: agent off vs on\n\n");
        failure(md, errors, "rounds", stopped);
        setup(md, setup);
        md.append("\n").append(THROUGHPUT_DEFINITION.substring(0, 1).toUpperCase()).append(THROUGHPUT_DEFINITION.substring(1)).append("\n\n");
        md.append("## Summary\n\n");
        md.append("**").append(summary.verdict()).append("**\n\n").append("Direct cost of the agent's calls: ")
                .append(RESTART_DIRECT_COST).append(".\n\n").append(summary.throughputVerdict()).append("\n\n");
        md.append("| | off | on | on vs off per pair, 95 % t-interval |\n|---|---:|---:|---|\n");
        md.append("| CPU per message (us, application threads) | ").append(fmt("%.3f", summary.cpuOff())).append(" | ")
                .append(fmt("%.3f", summary.cpuOn())).append(" | ").append(interval(summary.cpu())).append(" |\n");
        md.append("| throughput (metrics/s) | ").append(fmt("%.0f", summary.throughputOff())).append(" | ")
                .append(fmt("%.0f", summary.throughputOn())).append(" | ").append(throughputChange(summary.throughput())).append(" |\n");
        md.append("| start to first message received (s; added) | ").append(fmt("%.2f", summary.startupOff())).append(" | ")
                .append(fmt("%.2f", summary.startupOn())).append(" | ").append(summary.startup().pairs() < 2
                        ? fmt("%+.2f", summary.startup().mean()) + " s (no interval)"
                        : String.format(Locale.ROOT, "%+.2f s (95 %% CI %.2f .. %.2f)", summary.startup().mean(),
                        summary.startup().ci95Low(), summary.startup().ci95High())).append(" |\n\n");
        md.append("Pairs: rounds 1-2, 3-4, ... (one off and one on each, ABBA order). CPU per message: the persister's "
                + "application threads from the poll before its first message to the poll that saw the last one persisted, "
                + "/proc per thread, the JIT compilers and the garbage collector left out; a restarted JVM compiles its "
                + "code all through the round, so this is noisier than the toggle modes. Throughput: 100 x (on - off) / off, "
                + "negative when the agent slows the persister. ").append(summary.startupVerdict()).append("\n\n");
        summary.notes().forEach(note -> md.append(note).append("\n\n"));
        List<String> rateNotes = rounds.stream().map(RoundResult::rateNote).filter(java.util.Objects::nonNull).toList();
        if (!rateNotes.isEmpty()) {
            md.append("**THE FIXED RATE WAS NOT KEPT in ").append(rateNotes.size()).append(" of ").append(rounds.size())
                    .append(" rounds: they measured a backlog run.**\n\n");
            rateNotes.forEach(n -> md.append("- ").append(n).append('\n'));
            md.append('\n');
        }
        md.append("## Rounds\n\n");
        md.append("| round | mode | produced | received | persisted | seconds | throughput (metrics/s) | received/s | in database | start to first receive (s) | CPU us/msg | JIT us/msg |\n");
        md.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RoundResult r : rounds) {
            md.append(String.format(Locale.ROOT, "| %d | %s | %d | %d | %d | %.3f | %.0f | %.0f | %s | %.1f | %s | %s |%n", r.round, r.mode, r.produced,
                    r.received, r.persisted, r.seconds, r.throughput, r.receivedThroughput, r.stored >= 0 ? Long.toString(r.stored) : "-",
                    r.firstReceivedSeconds, fmt("%.3f", r.cpuMicrosPerMessage()), fmt("%.3f", r.jitMicrosPerMessage())));
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
        crossChecks(md, mismatches, "All sources agree with the produced count and with what the database holds.");
        md.append("\n## Plot\n\n![throughput and call times](").append(plotFile).append(")\n");
        String omitted = PlotWriter.omittedPanels(rounds);
        if (omitted != null) md.append("\n").append(omitted).append('\n');
        return md.toString();
    }

    /** When the run failed: says so first, with what failed; {@code what} the run had done ("rounds", "windows"). */
    public static void failure(StringBuilder md, List<String> errors, String what) {
        failure(md, errors, what, false);
    }

    /** The same; {@code stopped}: the run did not fail but was stopped (Ctrl-C, SIGTERM): INCOMPLETE. */
    public static void failure(StringBuilder md, List<String> errors, String what, boolean stopped) {
        if (errors.isEmpty()) return;
        md.append(stopped ? "**INCOMPLETE: THE RUN WAS STOPPED; this report holds the " : "**THE RUN FAILED; this report holds the ")
                .append(what).append(" done until then.**\n\n");
        errors.forEach(e -> md.append("- ").append(e.replace("\n", "\n  ")).append('\n'));
        md.append('\n');
    }

    /** The set-up section: a line per entry. */
    public static void setup(StringBuilder md, Map<String, Object> setup) {
        md.append("## Set-up\n\n");
        setup.forEach((key, value) -> md.append("- ").append(key).append(": ").append(value).append('\n'));
    }

    /** {@code agree} when there is no mismatch, else the list of mismatches. */
    public static void crossChecks(StringBuilder md, List<String> mismatches, String agree) {
        if (mismatches.isEmpty()) {
            md.append(agree).append('\n');
        } else {
            md.append("**Mismatches:**\n\n");
            mismatches.forEach(m -> md.append("- ").append(m).append('\n'));
        }
    }

    /** {@code [low, high]} of the 95 % interval, rounded to two decimals; null with fewer than two pairs. */
    public static void ci(ObjectNode node, String field, PairedDifferences d) {
        ci(node, field, d, 2);
    }

    static void ci(ObjectNode node, String field, PairedDifferences d, int decimals) {
        if (d.pairs() < 2) {
            node.putNull(field);
        } else {
            double scale = Math.pow(10, decimals);
            node.putArray(field).add(Math.round(d.ci95Low() * scale) / scale).add(Math.round(d.ci95High() * scale) / scale);
        }
    }

    /**
     * The pairs' differences and their spread: {@code pairs} (in pair order), {@code min}, {@code max},
     * {@code stddev}, {@code mean}, {@code ci95_low}, {@code ci95_high}; unknown numbers null.
     */
    public static ObjectNode spread(PairedDifferences d) {
        ObjectNode n = JSON.createObjectNode();
        number(n, "min", round2(d.min()));
        number(n, "max", round2(d.max()));
        number(n, "stddev", round2(d.stddev()));
        number(n, "mean", round2(d.mean()));
        number(n, "ci95_low", round2(d.ci95Low()));
        number(n, "ci95_high", round2(d.ci95High()));
        ArrayNode pairs = n.putArray("pairs");
        d.differences().forEach(v -> pairs.add(round2(v)));
        return n;
    }

    /** "+1.23 % (95 % CI 0.10 .. 2.36)", or the mean and the number of pairs when there is no interval. */
    public static String interval(PairedDifferences d) {
        if (d.pairs() < 2) return fmt("%+.2f", d.mean()) + " % (" + d.pairs() + " pair: no interval)";
        return String.format(Locale.ROOT, "%+.2f %% (95 %% CI %.2f .. %.2f)", d.mean(), d.ci95Low(), d.ci95High());
    }

    /**
     * The CPU per message's headline in a line short enough for a plot's title: the figure the verdict rests on, its
     * interval, and what it means; {@code pair} names a pair ("backlog pair", "round pair").
     */
    public static String plotHeadline(PairedDifferences cpu, String pair) {
        String what = "Verdict: CPU/message on vs off ";
        String pairs = pair + (cpu.pairs() == 1 ? "" : "s");
        if (cpu.pairs() == 0) return what + "has no " + pairs;
        if (cpu.pairs() == 1) return what + fmt("%+.2f", cpu.mean()) + " % (1 " + pairs + "): spread unknown";
        String meaning = cpu.ci95Low() > 0 ? "the agent costs this" : cpu.ci95High() >= 0 ? "within noise"
                : "below 0: not a gain, a difference between " + pair.replaceAll(".* ", "") + "s";
        return String.format(Locale.ROOT, "%s%+.2f %% (95 %% CI %.2f .. %.2f, %d %s): %s", what, cpu.mean(), cpu.ci95Low(),
                cpu.ci95High(), cpu.pairs(), pairs, meaning);
    }

    /**
     * A throughput's change with the agent on, from differences of {@link PairedDifferences#percentLower}: "-3.52 %
     * (95 % CI -10.21 .. 3.18)", negative when slower, so that no "slower by -x %" is ever printed.
     */
    public static String throughputChange(PairedDifferences lower) {
        if (lower.pairs() < 2) return fmt("%+.2f", -lower.mean()) + " % (" + lower.pairs() + " pair: no interval)";
        return String.format(Locale.ROOT, "%+.2f %% (95 %% CI %.2f .. %.2f)", -lower.mean(), -lower.ci95High(), -lower.ci95Low());
    }

    /** JSON has no NaN: an unknown number (no rounds of a mode, one pair's stddev...) is written as null. */
    public static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) node.put(field, value);
        else node.putNull(field);
    }

    /** A number for report.md, "-" when unknown. */
    public static String fmt(String format, double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, format, value) : "-";
    }

    public static double round1(double v) {
        return Double.isFinite(v) ? Math.round(v * 10) / 10.0 : Double.NaN;
    }

    public static double round2(double v) {
        return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : Double.NaN;
    }

    public static double round3(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : Double.NaN;
    }
}
