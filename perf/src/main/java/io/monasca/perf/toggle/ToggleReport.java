package io.monasca.perf.toggle;

import io.monasca.perf.outcome.ExitCode;
import io.monasca.perf.source.PercentileValues;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.monasca.perf.report.PairedDifferences;
import io.monasca.perf.report.ReportWriter;
import io.monasca.perf.cpu.ProcessCpu;
import io.monasca.perf.run.RunSettings;
import io.monasca.perf.source.Reading;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.monasca.perf.report.ReportWriter.ci;
import static io.monasca.perf.report.ReportWriter.fmt;
import static io.monasca.perf.report.ReportWriter.interval;
import static io.monasca.perf.report.ReportWriter.number;
import static io.monasca.perf.report.ReportWriter.round1;
import static io.monasca.perf.report.ReportWriter.round2;
import static io.monasca.perf.report.ReportWriter.round3;
import static io.monasca.perf.report.ReportWriter.spread;
import static io.monasca.perf.report.ReportWriter.throughputChange;

/**
 * report.json, report.md, the plot and the console summary of a toggle run. The headline ({@code summary.overhead_pct}
 * and the verdict) is the backlog phase's CPU per message when it has pairs of windows, else the fixed-rate phase's.
 */
public final class ToggleReport {
    /** What the headline measures, for the report and the verdict. */
    public static final String MEASURE = "CPU per message";
    public static final String CPU_DEFINITION = "CPU per message = CPU time (user + system) of the persister's application "
            + "threads between the window's edges / messages the window received, read from /proc per thread in "
            + "nanoseconds with the persister idle at both edges. Application threads: all but the JVM's JIT compiler and "
            + "garbage collector threads, whose time is reported apart: the JIT compiles in bursts for minutes after a "
            + "JVM starts, and a young collection (one every ~100,000 messages with a 512 MB heap, 20 to 40 ms) lands "
            + "in one window or the next; window by window they would be most of the noise, while the agent changes "
            + "neither (it allocates nothing per call).";
    public static final String THROUGHPUT_DEFINITION = "throughput of a window = points persisted / seconds from sending "
            + "its first message to the persister committing its last one (every point written), read from the broker.";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ToggleReport() {
    }

    /** Writes everything and returns the exit code: 0 all sources agree, 3 a source disagrees, 1 the run failed. */
    public static int write(RunSettings settings, Map<String, Object> setup, ToggleResult result, double runSeconds,
                            PrintStream out) throws IOException {
        return write(settings, setup, result, runSeconds, out, false);
    }

    /**
     * {@code stopped}: the run was stopped half-way (Ctrl-C, SIGTERM): the report holds the windows done, says it
     * is incomplete first, and the exit code is {@link ExitCode#STOPPED}.
     */
    public static int write(RunSettings settings, Map<String, Object> setup, ToggleResult result, double runSeconds,
                            PrintStream out, boolean stopped) throws IOException {
        List<String> mismatches = mismatches(result);
        List<PhaseSummary> phases = List.of(PhaseSummary.of(Window.Phase.BACKLOG, result.windows),
                PhaseSummary.of(Window.Phase.RATE, result.windows));
        if (result.warmup != null) setup.put("warmup", result.warmup);
        if (result.rateSettle != null) setup.put("fixed_rate_settle", result.rateSettle);
        if (result.cpuSource != null) setup.put("cpu_time", result.cpuSource);
        if (result.rate > 0) setup.put("fixed_rate", String.format(Locale.ROOT, "%.0f messages/s%s", result.rate,
                settings.rate() > 0 ? "" : " (half the backlog phase's throughput with the agent off)"));
        PhaseSummary headline = headline(phases);
        Path plot = WindowPlot.write(result.windows, phases, headline, plotTitle(headline), settings.output());
        ObjectNode json = json(settings, setup, result, phases, headline, mismatches, runSeconds, plot.getFileName().toString());
        if (stopped) json.put("stopped", result.errors.get(0));
        ReportWriter.write(settings.output(), json, markdown(settings, setup, result, phases, headline, mismatches,
                plot.getFileName().toString(), stopped));
        if (stopped) return ExitCode.STOPPED;

        out.println();
        for (PhaseSummary p : phases) {
            if (p.windows() == 0) continue;
            out.printf(Locale.ROOT, "%s: CPU %s us/msg off, %s on, per pair %s; throughput %s off, %s on metrics/s, per pair %s%n",
                    describe(p), fmt("%.3f", p.cpuMeans().off()), fmt("%.3f", p.cpuMeans().on()), interval(p.cpu()),
                    fmt("%,.0f", p.throughputMeans().off()), fmt("%,.0f", p.throughputMeans().on()), throughputChange(p.throughput()));
        }
        out.println(verdict(settings, result, headline));
        out.println(DirectCost.describe(directCost(result, headline), headline.cpu()));
        out.println(throughputVerdict(headline));
        out.println(precisionLine(settings, result, headline));
        notes(headline).forEach(out::println);
        out.printf(Locale.ROOT, "run time %.0f s%n", runSeconds);
        out.println("report: " + settings.output().resolve("report.md") + ", " + settings.output().resolve("report.json")
                + ", plot " + plot);
        if (!mismatches.isEmpty()) {
            out.println("MISMATCHES (" + mismatches.size() + "):");
            mismatches.forEach(m -> out.println("  " + m));
        }
        if (!result.errors.isEmpty()) {
            out.println("ERRORS (" + result.errors.size() + "; the report holds the " + result.windows.size() + " windows done):");
            result.errors.forEach(m -> out.println("  " + m));
            return ExitCode.FAILURE;
        }
        if (!mismatches.isEmpty()) return ExitCode.MISMATCH;
        out.println("cross-checks: all sources agree with what was produced in every window and with the database");
        return ExitCode.OK;
    }

    static List<String> mismatches(ToggleResult result) {
        List<String> mismatches = new ArrayList<>();
        result.windows.forEach(w -> mismatches.addAll(w.mismatches));
        if (result.stored >= 0 && result.stored != result.produced) {
            mismatches.add("the database holds " + result.stored + " points != " + result.produced + " produced over the run");
        }
        return mismatches;
    }

    /** The backlog phase when it has at least one pair, else the fixed-rate phase. */
    static PhaseSummary headline(List<PhaseSummary> phases) {
        return phases.stream().filter(p -> p.cpu().pairs() > 0).findFirst().orElse(phases.get(0));
    }

    /** The second estimate, beside the A/B figure: the agent's calls x their calibrated cost ({@link DirectCost}). */
    static DirectCost.Estimate directCost(ToggleResult result, PhaseSummary headline) {
        return DirectCost.of(result.windows.stream().filter(w -> w.phase == headline.phase() && w.measured()).toList(),
                headline.cpu(), result.callCostUnavailable);
    }

    static String verdict(PhaseSummary headline) {
        return headline.cpu().verdict(MEASURE, "windows");
    }

    /** The verdict, and when the machine's noise dominates the headline, that noise with its figure. */
    static String verdict(RunSettings settings, ToggleResult result, PhaseSummary headline) {
        Noise noise = noise(result, headline);
        return verdict(headline) + (noise.dominates(headline.cpu(), settings.precision()) ? " " + noise.verdict(headline.cpu()) : "");
    }

    static Noise noise(ToggleResult result, PhaseSummary headline) {
        return Noise.of(headline.phase(), result.windows);
    }

    /**
     * What stopped the backlog phase and the precision reached: the headline's half-width as its pairs give it (never
     * the target), e.g. "Stopped by precision: +-0.93 points reached (target +-1.00) over 40 pairs".
     */
    static String precisionLine(RunSettings settings, ToggleResult result, PhaseSummary headline) {
        double reached = headline.cpu().halfWidth();
        String stoppedBy = stoppedBy(result);
        String how = switch (stoppedBy == null ? "" : stoppedBy) {
            case StoppingRule.PRECISION -> "the target precision was reached";
            case StoppingRule.MAX_TIME -> "--max-time " + settings.maxTime().toSeconds() + " s was spent before the target "
                    + "precision";
            case StoppingRule.WINDOWS -> "a fixed design: --backlog-windows " + Math.max(0, settings.backlogWindows());
            default -> "the run did not end its backlog phase";
        };
        return String.format(Locale.ROOT, "Precision: the headline's 95 %% half-width is %s points over %d %s pairs%s; "
                        + "stopped by %s (%s).", Double.isFinite(reached) ? String.format(Locale.ROOT, "+-%.2f", reached) : "unknown",
                headline.cpu().pairs(), headline.phase().label,
                settings.adaptive() ? String.format(Locale.ROOT, " (target +-%.2f)", settings.precision()) : "",
                stoppedBy == null ? "nothing" : stoppedBy, how);
    }

    /**
     * Why the backlog phase stopped ({@link StoppingRule}; "windows" also for a run without a backlog phase); null when
     * the run failed or was stopped before.
     */
    static String stoppedBy(ToggleResult result) {
        return result.stoppedBy;
    }

    /** The headline in a line short enough for the plot's title: the figure the verdict rests on and what it means. */
    static String plotTitle(PhaseSummary headline) {
        return ReportWriter.plotHeadline(headline.cpu(), headline.phase().label + " pair");
    }

    /** The headline phase's throughput, with the same caveats as the CPU verdict. */
    static String throughputVerdict(PhaseSummary headline) {
        return headline.throughput().throughputVerdict("windows");
    }

    /** Why the means and the pairs' mean point different ways, when they do (CPU per message, throughput). */
    static List<String> notes(PhaseSummary p) {
        List<String> notes = new ArrayList<>();
        String cpu = p.cpu().meansDisagreement("the CPU per message", "us", p.cpuMeans().off(), p.cpuMeans().on(), false);
        if (cpu != null) notes.add(cpu);
        String throughput = p.throughput().meansDisagreement("the throughput", "msgs/s", p.throughputMeans().off(),
                p.throughputMeans().on(), true);
        if (throughput != null) notes.add(throughput);
        return notes;
    }

    static String describe(PhaseSummary p) {
        return p.phase() == Window.Phase.BACKLOG ? String.format(Locale.ROOT, "backlog (as fast as possible, %d windows)", p.windows())
                : String.format(Locale.ROOT, "fixed rate (%,.0f messages/s, %d windows)", p.rate(), p.windows());
    }

    static ObjectNode json(RunSettings settings, Map<String, Object> setup, ToggleResult result, List<PhaseSummary> phases,
                           PhaseSummary headline, List<String> mismatches, double runSeconds, String plotFile) {
        ObjectNode root = JSON.createObjectNode();
        root.put("tool", "monasca-perf");
        root.put("mode", settings.mode());
        root.set("setup", JSON.valueToTree(setup));
        root.put("throughput_definition", THROUGHPUT_DEFINITION);
        root.put("cpu_definition", CPU_DEFINITION);
        root.putArray("rounds"); // the rounds of --mode restart; a toggle run has windows instead
        ArrayNode windows = root.putArray("windows");
        for (Window w : result.windows) windows.add(window(w));
        ObjectNode byPhase = root.putObject("phases");
        for (PhaseSummary p : phases) {
            ObjectNode phase = phase(p);
            ObjectNode percentiles = phase.putObject("percentiles_ms");
            for (PercentileValues.Summary v : percentilesOf(p, result).summaries()) {
                ObjectNode op = percentiles.has(v.operation()) ? (ObjectNode) percentiles.get(v.operation())
                        : percentiles.putObject(v.operation());
                op.putObject(v.label()).put("intervals", v.intervals()).put("median", v.medianMs()).put("max", v.maxMs());
            }
            byPhase.set(p.phase().label, phase);
        }

        ObjectNode s = root.putObject("summary");
        s.put("mode", settings.mode());
        s.put("headline_phase", headline.phase().label);
        number(s, "overhead_pct", round2(headline.cpu().mean()));
        ci(s, "overhead_ci95", headline.cpu());
        DirectCost.json(s, directCost(result, headline));
        s.put("verdict", verdict(settings, result, headline));
        s.put("throughput_verdict", throughputVerdict(headline));
        s.put("stopped_by", stoppedBy(result));
        number(s, "precision_reached_pct", round2(headline.cpu().halfWidth()));
        number(s, "precision_pct", settings.adaptive() ? settings.precision() : Double.NaN);
        number(s, "max_time_seconds", settings.adaptive() ? settings.maxTime().toMillis() / 1000.0 : Double.NaN);
        s.put("precision", precisionLine(settings, result, headline));
        ObjectNode steady = s.putObject("steady_state");
        steady.put("warmup", result.warmup == null ? null : result.warmupSteady ? "steady" : "cap");
        steady.put("warmup_detail", result.warmup);
        steady.put("rate_settle", result.rateSettle == null ? null : result.rateSettleSteady ? "steady" : "cap");
        steady.put("rate_settle_detail", result.rateSettle);
        Noise noise = noise(result, headline);
        ObjectNode n = s.putObject("noise");
        number(n, "window_to_window_pct", round2(noise.windowToWindowPct()));
        n.put("off_neighbour_pairs", noise.offNeighbours().pairs());
        number(n, "steal_pct", round2(noise.stealPct()));
        number(n, "other_processes_pct", round2(noise.othersPct()));
        number(n, "perf_pct", round2(noise.perfPct()));
        number(n, "waited_for_cpu_ms_per_window", round1(noise.waitedMsPerWindow()));
        n.put("dominates", noise.dominates(headline.cpu(), settings.precision()));
        n.put("description", noise.describe());
        number(s, "handler_overhead_pct", round2(headline.handler().mean()));
        ci(s, "handler_overhead_ci95", headline.handler());
        number(s, "cpu_us_per_message_off", round3(headline.cpuMeans().off()));
        number(s, "cpu_us_per_message_on", round3(headline.cpuMeans().on()));
        PhaseSummary backlog = phases.get(0);
        number(s, "throughput_off", round1(backlog.throughputMeans().off()));
        number(s, "throughput_on", round1(backlog.throughputMeans().on()));
        number(s, "throughput_overhead_pct", round2(backlog.throughput().mean()));
        ci(s, "throughput_overhead_ci95", backlog.throughput());
        s.set("overhead_pct_spread", spread(headline.cpu()));
        s.put("produced", result.produced);
        s.put("stored", result.stored);
        number(s, "run_seconds", round1(runSeconds));
        root.set("mismatches", JSON.valueToTree(mismatches));
        root.set("errors", JSON.valueToTree(result.errors));
        root.put("complete", result.errors.isEmpty());
        root.put("plot", plotFile);
        return root;
    }

    private static ObjectNode window(Window w) {
        ObjectNode n = JSON.createObjectNode();
        n.put("index", w.index);
        n.put("phase", w.phase.label);
        n.put("kind", w.phase == Window.Phase.WARMUP ? "warm-up" : w.measured() ? "measured" : "settle");
        n.put("number", w.number);
        n.put("mode", w.mode);
        if (w.switched != null) n.put("after_switch", w.switched);
        if (w.timedCalls >= 0) n.put("timed_calls", w.timedCalls);
        if (w.callCost != null) {
            number(n, "ns_per_timed_call", round2(w.callCost.nanosPerCall()));
            n.putArray("ns_per_timed_call_range").add(round2(w.callCost.minNanos())).add(round2(w.callCost.maxNanos()));
        }
        number(n, "rate", w.rate);
        n.put("produced", w.produced);
        n.put("received", w.received);
        n.put("persisted", w.persisted);
        number(n, "start_seconds", round3(w.startSeconds));
        number(n, "seconds", round3(w.seconds));
        number(n, "throughput", round1(w.throughput()));
        ObjectNode cpu = n.putObject("cpu");
        number(cpu, "us_per_message", round3(w.cpuMicrosPerMessage()));
        number(cpu, "process_us_per_message", round3(w.processMicrosPerMessage()));
        number(cpu, "jit_us_per_message", round3(w.jitMicrosPerMessage()));
        number(cpu, "gc_us_per_message", round3(w.gcMicrosPerMessage()));
        if (w.cpu != null) {
            number(cpu, "process_ms", round3(w.cpu.total() / 1e6));
            for (ProcessCpu.Group g : ProcessCpu.Group.values()) {
                number(cpu, g.name().toLowerCase(Locale.ROOT) + "_ms", round3(w.cpu.group(g) / 1e6));
            }
            number(cpu, "waited_for_cpu_ms", round3(w.cpu.waitNanos() / 1e6));
            number(cpu, "handler_us_per_message", round3(w.handlerMicrosPerMessage()));
            cpu.put("nanosecond_precise", w.cpu.applicationPrecise());
        }
        ObjectNode machine = n.putObject("machine");
        number(machine, "steal_ms", round3(w.stealMillis()));
        number(machine, "other_processes_ms", round3(w.othersMillis()));
        number(machine, "perf_ms", round3(w.perfMillis()));
        ObjectNode sources = n.putObject("sources");
        for (Map.Entry<String, Reading> e : w.sources.entrySet()) {
            sources.putObject(e.getKey()).put("received", e.getValue().received()).put("persisted", e.getValue().persisted());
        }
        n.put("statsd_lines", w.statsdLines);
        n.put("pipeline_after", w.pipelineAfter);
        n.put("pipeline_counted", w.pipelineCounted);
        n.set("mismatches", JSON.valueToTree(w.mismatches));
        return n;
    }

    private static ObjectNode phase(PhaseSummary p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("windows", p.windows());
        n.put("pairs", p.cpu().pairs());
        number(n, "rate", p.rate());
        number(n, "cpu_us_per_message_off", round3(p.cpuMeans().off()));
        number(n, "cpu_us_per_message_on", round3(p.cpuMeans().on()));
        number(n, "overhead_pct", round2(p.cpu().mean()));
        ci(n, "overhead_ci95", p.cpu());
        n.put("verdict", p.cpu().verdict(MEASURE, "windows"));
        n.set("overhead_pct_spread", spread(p.cpu()));
        number(n, "process_cpu_us_per_message_off", round3(p.processMeans().off()));
        number(n, "process_cpu_us_per_message_on", round3(p.processMeans().on()));
        number(n, "process_overhead_pct", round2(p.process().mean()));
        ci(n, "process_overhead_ci95", p.process());
        number(n, "jit_us_per_message_off", round3(p.jitMeans().off()));
        number(n, "jit_us_per_message_on", round3(p.jitMeans().on()));
        number(n, "gc_us_per_message_off", round3(p.gcMeans().off()));
        number(n, "gc_us_per_message_on", round3(p.gcMeans().on()));
        number(n, "throughput_off", round1(p.throughputMeans().off()));
        number(n, "throughput_on", round1(p.throughputMeans().on()));
        number(n, "throughput_overhead_pct", round2(p.throughput().mean()));
        ci(n, "throughput_overhead_ci95", p.throughput());
        n.put("throughput_verdict", p.throughput().throughputVerdict("windows"));
        number(n, "handler_cpu_us_per_message_off", round3(p.handlerMeans().off()));
        number(n, "handler_cpu_us_per_message_on", round3(p.handlerMeans().on()));
        number(n, "handler_overhead_pct", round2(p.handler().mean()));
        ci(n, "handler_overhead_ci95", p.handler());
        return n;
    }

    static String markdown(RunSettings settings, Map<String, Object> setup, ToggleResult result, List<PhaseSummary> phases,
                           PhaseSummary headline, List<String> mismatches, String plotFile, boolean stopped) {
        StringBuilder md = new StringBuilder();
        md.append("# Monasca persister: agent off vs on, toggle mode `").append(settings.mode()).append("`\n\n");
        ReportWriter.failure(md, result.errors, "windows", stopped);
        md.append("**").append(verdict(settings, result, headline)).append("**\n\n")
                .append(DirectCost.describe(directCost(result, headline), headline.cpu())).append("\n\n")
                .append(throughputVerdict(headline))
                .append("\n\n").append(precisionLine(settings, result, headline))
                .append("\n\nNoise: ").append(noise(result, headline).describe()).append('.')
                .append("\n\nHeadline: the ").append(describe(headline)).append(" phase.\n\n");
        ReportWriter.setup(md, setup);
        md.append("\n").append(CPU_DEFINITION).append("\n\n")
                .append(THROUGHPUT_DEFINITION.substring(0, 1).toUpperCase(Locale.ROOT)).append(THROUGHPUT_DEFINITION.substring(1)).append("\n\n");

        md.append("## Summary\n\n");
        md.append("| phase | pairs | CPU us/msg off | on | on vs off, 95 % CI | whole process (JIT, GC too) on vs off | "
                + "handler threads alone on vs off | JIT us/msg off / on "
                + "| GC us/msg off / on | throughput off | on | on vs off, 95 % CI |\n");
        md.append("|---|---:|---:|---:|---|---|---|---|---|---:|---:|---|\n");
        for (PhaseSummary p : phases) {
            if (p.windows() == 0) continue;
            md.append("| ").append(describe(p)).append(" | ").append(p.cpu().pairs())
                    .append(" | ").append(fmt("%.3f", p.cpuMeans().off())).append(" | ").append(fmt("%.3f", p.cpuMeans().on()))
                    .append(" | ").append(interval(p.cpu())).append(" | ").append(interval(p.process()))
                    .append(" | ").append(interval(p.handler()))
                    .append(" | ").append(fmt("%.3f", p.jitMeans().off())).append(" / ").append(fmt("%.3f", p.jitMeans().on()))
                    .append(" | ").append(fmt("%.3f", p.gcMeans().off())).append(" / ").append(fmt("%.3f", p.gcMeans().on()))
                    .append(" | ").append(fmt("%.0f", p.throughputMeans().off())).append(" | ").append(fmt("%.0f", p.throughputMeans().on()))
                    .append(" | ").append(throughputChange(p.throughput())).append(" |\n");
        }
        md.append("\nOn vs off: the mean over the pairs of windows (1-2, 3-4, ...; one off and one on each, ABBA order) of "
                + "100 x (on - off) / off, with its 95 % Student-t interval (pairs - 1 degrees of freedom): negative "
                + "for a throughput is fewer messages per second with the agent on. The verdicts above are the ")
                .append(headline.phase().label).append(" phase's. ");
        for (PhaseSummary p : phases) {
            for (String note : notes(p)) md.append(describe(p)).append(": ").append(note).append(' ');
        }
        md.append("Handler threads alone: the same for the persister's consumer threads only (`")
                .append(ProcessCpu.HANDLER_PREFIX).append("N`), without the other application threads (Kafka's heartbeat, "
                + "the admin API, the agent's exporter): beside the headline, to show how much of its noise those threads "
                + "add; the headline keeps them, since the exporter's work is the agent's cost. ");
        md.append("Cost in ").append(settings.mode().equals(RunSettings.ATTACH)
                ? "`attach` mode: off is the persister with the agent detached (original bytecode), on is the agent "
                + "attached: the whole cost of the woven code, its recording and its exporter."
                : "`enable` mode: the agent stays loaded; off is timing disabled (the woven code only skips the clock), "
                + "on is timing enabled: the cost of the clock and the recording, not of the woven code's check.").append("\n\n");

        md.append("## Windows\n\n");
        md.append("Every window in run order. Only the measured ones are in the statistics: not the warm-up, nor the "
                + "settle windows (the two before the fixed rate, and in attach mode one after each switch). Waited: how "
                + "long the persister's threads were ready to run but had no CPU (other processes on the machine, and "
                + "the set-up's own: broker, producer, InfluxDB). Steal: CPU time the hypervisor gave other guests; "
                + "others: CPU time of every process but the persister and perf (/proc/stat's busy time minus theirs), "
                + "in ms over all CPUs.\n\n");
        List<String> sources = new ArrayList<>(List.of("admin"));
        settings.sources().stream().filter(s -> !sources.contains(s)).forEach(sources::add);
        md.append("| # | window | mode | produced | seconds | msgs/s | CPU us/msg | JIT us/msg | GC us/msg | waited (ms) | steal (ms) | others (ms) |");
        sources.forEach(s -> md.append(' ').append(s).append(" |"));
        md.append(" after switch |\n|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        sources.forEach(s -> md.append("---|"));
        md.append("---|\n");
        for (Window w : result.windows) {
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %d | %.3f | %.0f | %s | %s | %s | %s | %s | %s |", w.index, w.label(),
                    w.mode, w.produced, w.seconds, w.throughput(), fmt("%.3f", w.cpuMicrosPerMessage()),
                    fmt("%.3f", w.jitMicrosPerMessage()), fmt("%.3f", w.gcMicrosPerMessage()),
                    w.cpu == null ? "-" : fmt("%.0f", w.cpu.waitNanos() / 1e6), fmt("%.0f", w.stealMillis()),
                    fmt("%.0f", w.othersMillis())));
            for (String s : sources) {
                Reading r = w.sources.get(s);
                md.append(' ').append(r == null ? "-" : r.received() + " / " + r.persisted()).append(" |");
            }
            md.append(' ').append(w.switched == null ? "" : w.switched).append(" |\n");
        }
        md.append("\nSources: received / persisted in the window. admin: the persister's admin API; statsd: what the "
                + "agent sent (none when off: zero counts with timing disabled, no line at all with the agent detached); "
                + "monasca: the same read back through the stand-in Monasca API.\n");

        percentiles(md, phases, result);

        md.append("\n## Cross-checks\n\n");
        md.append(String.format(Locale.ROOT, "%,d messages produced over the run; the database holds %s.%n%n", result.produced,
                result.stored < 0 ? "an unknown number of points" : String.format(Locale.ROOT, "%,d points", result.stored)));
        ReportWriter.crossChecks(md, mismatches, "All sources agree with what was produced in every window and with what "
                + "the database holds.");
        md.append("\n## Plot\n\n![CPU per message and throughput per window](").append(plotFile).append(")\n");
        return md.toString();
    }

    /**
     * Per phase, the percentiles the statsd source received for each operation from the agent (measured windows with
     * it on): per-interval values, so summed up by their median and largest, never merged into one.
     */
    private static void percentiles(StringBuilder md, List<PhaseSummary> phases, ToggleResult result) {
        md.append("\n## Percentiles (statsd source, agent on)\n\n");
        StringBuilder rows = new StringBuilder();
        for (PhaseSummary p : phases) {
            if (p.windows() == 0) continue;
            for (PercentileValues.Summary s : percentilesOf(p, result).summaries()) {
                rows.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.4f | %.4f |%n", describe(p), s.operation(),
                        s.label(), s.intervals(), s.medianMs(), s.maxMs()));
            }
        }
        if (rows.length() == 0) {
            md.append("None received (the agent's `percentiles=none`, or no statsd source).\n");
            return;
        }
        md.append("What the agent sent as `<operation>.time.p<q>`: each value is one agent interval's percentile of "
                + "every call in it, within 1 % of the exact value. Percentiles of intervals cannot be merged into the "
                + "phase's, so each row gives the median and the largest of the intervals' values.\n\n");
        md.append("| phase | operation | percentile | intervals | median (ms) | largest (ms) |\n|---|---|---|---:|---:|---:|\n");
        md.append(rows);
    }

    /** The percentile gauges of a phase's measured windows with the agent on. */
    private static PercentileValues percentilesOf(PhaseSummary p, ToggleResult result) {
        PercentileValues values = new PercentileValues();
        result.windows.stream().filter(w -> w.phase == p.phase() && w.measured() && w.on())
                .forEach(w -> values.addAll(w.percentiles));
        return values;
    }
}
