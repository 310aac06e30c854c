package io.monasca.perf;

import io.monasca.perf.monasca.MonascaClient;
import io.monasca.perf.outcome.ExitCode;
import io.monasca.perf.path.MonascaPath;
import io.monasca.perf.path.PathReport;
import io.monasca.perf.report.PlotWriter;
import io.monasca.perf.report.ReportWriter;
import io.monasca.perf.report.Summary;
import io.monasca.perf.result.RoundResult;
import io.monasca.perf.run.AbbaOrder;
import io.monasca.perf.run.LineProtocolFile;
import io.monasca.perf.run.MutableOutput;
import io.monasca.perf.run.RoundInfra;
import io.monasca.perf.run.RoundRunner;
import io.monasca.perf.run.RunSettings;
import io.monasca.perf.source.MonascaSource;
import io.monasca.perf.source.StatsdSource;
import io.monasca.perf.standin.StandInMonascaApi;
import io.monasca.perf.toggle.ToggleReport;
import io.monasca.perf.toggle.ToggleResult;
import io.monasca.perf.toggle.ToggleRunner;
import io.monasca.testkit.influx.InfluxServer;
import io.monasca.testkit.kafka.EmbeddedKafka;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code perf run}: starts the embedded set-up (Kafka in this JVM, InfluxDB when installed, the statsd listener,
 * the stand-in Monasca API), runs the rounds agent off / on in ABBA order (off, on, on, off, ...), and writes the report.
 * Exit code 0 when every source agrees with what was produced and stored, 3 when they do not, 1 when a round
 * failed or timed out (report.md and report.json are still written, with the rounds done). A shutdown hook kills
 * the persister child JVM and stops InfluxDB (deleting its data) and Kafka on SIGTERM or Ctrl-C.
 */
public final class PerfRun {
    private final RunSettings settings;
    private final MutableOutput console;
    private final PrintStream out;
    private long runStarted;
    /** Writes the report of what was measured so far, marked incomplete; set once the windows or rounds start. */
    private volatile PartialReport partialReport;

    public PerfRun(RunSettings settings, PrintStream out) {
        this.settings = settings;
        this.console = new MutableOutput(out);
        this.out = console.printStream();
    }

    /** The report of a run stopped half-way: returns how many windows or rounds it holds. */
    private interface PartialReport {
        String write(String why) throws Exception;
    }

    public int execute() throws Exception {
        runStarted = System.nanoTime();
        Files.createDirectories(settings.output());
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("started", Instant.now().toString());
        setup.put("kafka", "embedded single-node KRaft broker in the perf JVM, " + (settings.toggle() ? "one topic" : "one topic per round")
                + " with " + settings.partitions() + " partitions");
        out.println("perf run: output in " + settings.output().toAbsolutePath());
        String partialBatch = settings.toggle() ? null : partialBatchNote(settings);
        if (partialBatch != null) out.println("note: " + partialBatch);
        String shortLoad = shortLoadNote(settings);
        if (shortLoad != null) out.println("WARNING: " + shortLoad);
        Cleanup cleanup = new Cleanup();
        PlotWriter.readyForShutdown();
        PrintStream stderr = System.err;
        Thread hook = new Thread(() -> stopped(cleanup, stderr), "perf-run-cleanup");
        // Kafka's own shutdown hook deletes the broker's data folder while this one writes the report; the broker
        // then halts the JVM with status 1 (a log folder failed): not while being stopped, so the exit code stays 130
        org.apache.kafka.common.utils.Exit.setHaltProcedure((status, message) -> {
            if (!cleanup.signalled) Runtime.getRuntime().halt(status);
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            EmbeddedKafka kafka = EmbeddedKafka.start();
            cleanup.kafka = kafka;
            InfluxServer influx = null;
            if (settings.useInflux() && InfluxServer.isInstalled()) {
                influx = InfluxServer.started();
                cleanup.influx = influx;
                setup.put("database", "InfluxDB (influxd on PATH) at " + influx.url()
                        + (settings.toggle() ? ", one database" : ", one database per round"));
                out.println("Database: InfluxDB at " + influx.url());
            } else {
                String why = settings.useInflux() ? "influxd is not on PATH" : "--no-influx was given";
                String note = "NO INFLUXDB (" + why + "): the sample persister writes line protocol to a FILE "
                        + (settings.toggle() ? "" : "per round ") + "instead, and the cross-check counts that file's lines";
                setup.put("database_file", "points.lp" + (settings.toggle() ? " in toggle/" : " in each round-<n>/")
                        + ": " + LineProtocolFile.KEPT);
                setup.put("database", note);
                out.println("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
                out.println("!!! " + note);
                out.println("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
                out.println("the file: " + LineProtocolFile.KEPT);
            }
            describe(setup);
            if (partialBatch != null) setup.put("partial_batch", partialBatch);
            MonascaPath path = null;
            if (settings.sources().contains("monasca")) {
                if (influx == null) {
                    setup.put("monasca_api", "none: the monasca source reads what the persister stored in InfluxDB, and there is no InfluxDB");
                    out.println("Monasca API: none (the monasca source needs InfluxDB)");
                } else {
                    path = MonascaPath.start(MonascaPath.Settings.forPerf(settings.pathPostEvery()), kafka.bootstrapServers(), influx,
                            settings.output().resolve("monasca-path"));
                    cleanup.path = path;
                }
            }
            if (shortLoad != null) setup.put("short_load", shortLoad);
            // with the path, the daemon flushes at window edges (round ends) only: its work never falls inside a window
            Duration flush = path == null ? settings.daemonFlush() : Duration.ZERO;
            try (StatsdSource statsd = new StatsdSource(0, flush, path == null ? null : path::intake)) {
                MonascaSource monasca = null;
                if (path != null) {
                    setup.put("monasca_api", "the production path: the statsd listener flushes like monasca-agent's daemon, "
                            + pathTiming() + ", to a forwarder that POSTs to a STAND-IN Keystone v3 + Monasca API v2.0 at "
                            + path.api().monascaUrl() + " (this tool, not a real Monasca), which writes to the Kafka topic the "
                            + "persister under test consumes; that persister stores them in its own database beside the load "
                            + "(tenant " + StandInMonascaApi.tenantOf(MonascaPath.PROJECT) + ", names monasca.persister.*; the "
                            + "load: other tenants, names metric_*), between windows, and the API's GETs read them from there");
                    monasca = new MonascaSource(path.reader(), Map.of("component", "monasca-persister"),
                            MonascaClient.Combine.MERGE, Instant.now());
                    out.println("Monasca API: STAND-IN at " + path.api().monascaUrl() + " (in this JVM; not a real Monasca), "
                            + "fed through forwarder -> Kafka -> the persister under test -> InfluxDB, between windows");
                }
                setup.put("statsd", "listener on 127.0.0.1:" + statsd.port() + " aggregating like the monasca-agent daemon");
                RoundInfra infra = new RoundInfra(kafka, influx, statsd, monasca, path);
                int code = settings.toggle() ? toggle(setup, infra, cleanup) : rounds(setup, infra, cleanup);
                return path == null ? code : PathReport.add(settings.output(), path, pathTiming(), code, ExitCode.MISMATCH, out);
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
            cleanup.run();
            org.apache.kafka.common.utils.Exit.resetHaltProcedure();
        }
    }

    /**
     * Ctrl-C or SIGTERM (a shutdown hook): silences every other output (the run's threads fail one after the other
     * while the JVM exits), kills the persister, writes the report of what was measured so far, marked incomplete,
     * prints one line that says so, then stops InfluxDB and Kafka. The JVM exits with 130 after Ctrl-C, 143 after
     * SIGTERM.
     */
    private void stopped(Cleanup cleanup, PrintStream stderr) {
        cleanup.signalled = true;
        console.mute();
        System.setOut(MutableOutput.NOWHERE);
        System.setErr(MutableOutput.NOWHERE);
        Runnable persister = cleanup.persister;
        if (persister != null) persister.run();
        String why = "stopped by Ctrl-C or SIGTERM";
        String report;
        PartialReport partial = partialReport;
        try {
            report = partial == null ? "no report: it had not started measuring"
                    : "the report of the " + partial.write(why) + " measured so far, marked incomplete: "
                    + settings.output().resolve("report.md");
        } catch (Exception | LinkageError e) {
            report = "writing the report of what was measured so far failed: " + e;
            if (Boolean.getBoolean("perf.debug")) e.printStackTrace(stderr);
        }
        stderr.println("perf run: " + why + "; " + report + "; stopping the persister, InfluxDB and Kafka");
        stderr.flush();
        cleanup.run();
    }

    /** Blocks the run's own thread once a stop began: the shutdown hook finishes the run, and the JVM exits. */
    private static void awaitExit() {
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException ignored) {
                // the JVM is exiting
            }
        }
    }

    private int rounds(Map<String, Object> setup, RoundInfra infra, Cleanup cleanup) throws Exception {
        // read by the shutdown hook's partial report while this thread adds to them
        List<RoundResult> rounds = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> warmupMismatches = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        RoundRunner runner = new RoundRunner(settings, infra, out);
        cleanup.persister = runner::killRunningPersister;
        partialReport = why -> {
            List<RoundResult> done = List.copyOf(rounds);
            List<String> stoppedErrors = new ArrayList<>(errors);
            stoppedErrors.add(0, why + " after " + done.size() + " of " + settings.rounds() + " rounds: this report is incomplete");
            report(setup, done, warmupMismatches, stoppedErrors, true);
            return done.size() + " rounds";
        };
        int round = 0;
        try {
            if (settings.warmup()) {
                RoundResult warmup = runner.run(0, "off");
                setup.put("warmup", String.format(java.util.Locale.ROOT, "one round with the agent off before round 1, "
                        + "not counted: %.0f metrics/s", warmup.throughput));
                if (!warmup.mismatches.isEmpty()) warmupMismatches.addAll(warmup.mismatches);
                warmup.errors.forEach(e -> errors.add("warm-up: " + e));
            }
            for (round = 1; round <= settings.rounds(); round++) {
                rounds.add(runner.run(round, AbbaOrder.mode(round)));
            }
        } catch (Exception e) {
            String what = round == 0 ? "the warm-up round" : "round " + round;
            if (cleanup.signalled) awaitExit();
            errors.add(what + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            out.println("perf run: " + what + " failed; writing the report of the " + rounds.size()
                    + " rounds done: " + e.getMessage());
        }
        if (cleanup.signalled) awaitExit();
        return report(setup, rounds, warmupMismatches, errors, false);
    }

    private int toggle(Map<String, Object> setup, RoundInfra infra, Cleanup cleanup) throws Exception {
        ToggleRunner runner = new ToggleRunner(settings, infra, out);
        cleanup.persister = runner::killRunningPersister;
        partialReport = why -> {
            ToggleResult done = runner.result().snapshot();
            done.errors.add(0, why + " after " + done.windows.size() + " windows: this report is incomplete");
            ToggleReport.write(settings, setup, done, (System.nanoTime() - runStarted) / 1e9,
                    MutableOutput.NOWHERE, true);
            return done.windows.size() + " windows";
        };
        try {
            runner.run();
        } catch (Exception e) {
            if (cleanup.signalled) awaitExit();
            runner.result().errors.add("the run failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            out.println("perf run: failed; writing the report of the " + runner.result().windows.size() + " windows done: " + e.getMessage());
        }
        if (cleanup.signalled) awaitExit();
        return ToggleReport.write(settings, setup, runner.result(), (System.nanoTime() - runStarted) / 1e9, out, false);
    }


    /**
     * Null when every persister thread gets whole batches; else a note that its last partial batch is written only
     * after maxBatchTime, which then counts in each round's time.
     */
    static String partialBatchNote(RunSettings settings) {
        long whole = (long) settings.batchSize() * settings.persisterThreads();
        if (settings.messages() % whole == 0) return null;
        return String.format(java.util.Locale.ROOT, "--messages %d is not a multiple of batchSize x persister threads "
                        + "(%d x %d = %d): the last partial batch waits for maxBatchTime (%d ms) before it is persisted, "
                        + "and that wait counts in each round's seconds", settings.messages(), settings.batchSize(),
                settings.persisterThreads(), whole, settings.maxBatchTime().toMillis());
    }

    /** A persister JVM takes about this long from its start to its first message here (2 busy cores: 2 to 4 s). */
    static final double JVM_START_SECONDS = 4;

    /**
     * Null, or, for a restart run at a fixed rate whose load is not much longer than a JVM's start, a warning: the
     * messages produced before the persister reads its first one wait as a backlog, so such a round measures a
     * backlog run; the report says, round by round, how much of the load did.
     */
    /** When perf's daemon flushes and its forwarder posts: not production's timing, said in the report. */
    private String pathTiming() {
        return settings.toggle()
                ? "daemon flushed at every window edge (monasca-agent's daemon: every 20 s), the forwarder posting between "
                + "windows, at least " + settings.pathPostEvery().toMillis() / 1000.0 + " s apart (--path-post-every) and after the last "
                + "one, and the persister under test storing those points before the next window starts (it holds them for "
                + "its maxBatchTime, " + settings.maxBatchTime().toSeconds() + " s, as a partial batch)"
                : "daemon flushed and the forwarder posting once per round, after the round's load is persisted and its "
                + "figures taken, and the round's persister storing those points before it stops";
    }

    static String shortLoadNote(RunSettings settings) {
        if (settings.toggle() || settings.rate() <= 0) return null;
        double loadSeconds = settings.messages() / settings.rate();
        if (loadSeconds >= 5 * JVM_START_SECONDS) return null;
        return String.format(java.util.Locale.ROOT, "each round's load lasts %.1f s (%d messages at %,.0f/s), while a "
                        + "persister JVM takes about %.0f s from its start to its first message here: what it has not read "
                        + "by then waits as a backlog, so a round may measure a backlog run, not the fixed rate (the "
                        + "report says how much of each round's load did); give a --duration of %.0f s or more",
                loadSeconds, settings.messages(), settings.rate(), JVM_START_SECONDS, 5 * JVM_START_SECONDS);
    }

    /** Stops what the run started, once, from the end of the run or from a shutdown hook (SIGTERM, Ctrl-C). */
    private static final class Cleanup implements Runnable {
        /** Kills the persister child JVM under way, if any. */
        volatile Runnable persister;
        volatile InfluxServer influx;
        volatile EmbeddedKafka kafka;
        volatile MonascaPath path;
        /** Set by the shutdown hook: a round failing now is the tool being stopped, not the persister's fault. */
        volatile boolean signalled;
        private boolean done;

        @Override
        public synchronized void run() {
            if (done) return;
            done = true;
            if (persister != null) persister.run();
            if (path != null) quietly(path::close);
            if (influx != null) quietly(influx::close);
            if (kafka != null) quietly(kafka::close);
        }

        private static void quietly(Runnable close) {
            try {
                close.run();
            } catch (RuntimeException e) {
                System.err.println("perf run: " + e.getMessage());
            }
        }
    }

    private static String num(String format, double value) {
        return Double.isFinite(value) ? String.format(java.util.Locale.ROOT, format, value) : "-";
    }

    private void describe(Map<String, Object> setup) {
        setup.put("mode", settings.mode() + switch (settings.mode()) {
            case RunSettings.ENABLE -> ": one persister JVM started with -javaagent, the agent's timing switched on and "
                    + "off between windows (the woven code stays)";
            case RunSettings.ATTACH -> ": one persister JVM, the agent attached and detached between windows (the "
                    + "original bytecode restored when off)";
            default -> ": a persister JVM per round, -javaagent in the 'on' rounds";
        });
        if (settings.toggle()) {
            setup.put("windows", (settings.adaptive() ? String.format(java.util.Locale.ROOT, "as fast as possible until the headline's "
                    + "95 %% half-width is at most %.2f points or --max-time %d s is spent", settings.precision(), settings.maxTime().toSeconds())
                    : settings.backlogWindows() + " as fast as possible") + ", then " + settings.rateWindows() + " at a "
                    + "fixed rate, each in ABBA order (off, on, on, off, ...; pairs 1-2, 3-4, ...), of "
                    + (settings.windowMessages() > 0 ? settings.windowMessages() + " messages"
                    : "whole batches lasting about " + settings.windowDuration().toMillis() + " ms") + ", after a warm-up of at most "
                    + settings.warmupTime().toSeconds() + " s" + (settings.mode().equals(RunSettings.ATTACH)
                    ? "; a settle window after each switch" : ""));
            setup.put("load", "one topic; " + settings.producerThreads() + " producer threads, one metric per message "
                    + "(JMeter plan semantics, " + ToggleRunner.SERIES + " series)");
        } else {
            setup.put("rounds", settings.rounds() + " (ABBA order: off, on, on, off, off, on, ...; a linear drift "
                    + "cancels; the per-pair overhead is over rounds 1-2, 3-4, ...)");
            setup.put("messages_per_round", settings.messages());
            setup.put("load", (settings.rate() > 0 ? "at " + settings.rate() + " messages/s while the persister runs"
                    : "as fast as possible, produced before the persister starts (a backlog)")
                    + ", " + settings.producerThreads() + " producer threads, one metric per message (JMeter plan semantics)");
        }
        setup.put("persister", settings.persisterJar() + " (child JVM, -Xmx" + settings.persisterHeap() + "), numThreads "
                + settings.persisterThreads() + ", batchSize " + settings.batchSize() + ", maxBatchTime "
                + settings.maxBatchTime().toMillis() + " ms");
        setup.put("agent", settings.agentJar() + " (interval " + settings.agentInterval().toMillis() + " ms, per-thread "
                + settings.perThread() + ", format " + settings.statsdFormat() + ")");
        setup.put("sources", String.join(", ", settings.sources()) + " (statsd and monasca only see what happens with "
                + "the agent on)");
        if (!settings.toggle()) {
            setup.put("settle", settings.settle().toMillis() + " ms pause before each round's persister starts (previous "
                    + "round's database and broker work done)");
        }
        setup.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        setup.put("cpus", Runtime.getRuntime().availableProcessors());
    }

    /** {@code stopped}: a partial report, written by the shutdown hook; nothing printed. */
    private int report(Map<String, Object> setup, List<RoundResult> rounds, List<String> warmupMismatches,
                       List<String> runErrors, boolean stopped) throws Exception {
        Summary summary = Summary.of(rounds);
        List<String> mismatches = new ArrayList<>(warmupMismatches);
        rounds.forEach(r -> mismatches.addAll(r.mismatches));
        List<String> errors = new ArrayList<>();
        rounds.forEach(r -> errors.addAll(r.errors));
        errors.addAll(runErrors);
        Path plot = PlotWriter.write(rounds, settings.output(), ReportWriter.plotHeadline(summary.cpu(), "round pair"));
        List<String> sourceNames = new ArrayList<>(List.of("admin"));
        for (String s : settings.sources()) if (!sourceNames.contains(s)) sourceNames.add(s);
        com.fasterxml.jackson.databind.node.ObjectNode json = ReportWriter.json(setup, rounds, summary, mismatches, errors,
                plot.getFileName().toString());
        if (stopped) json.put("stopped", runErrors.get(0));
        ReportWriter.write(settings.output(), json, ReportWriter.markdown(setup, rounds, summary, mismatches, errors,
                plot.getFileName().toString(), sourceNames, stopped));
        if (stopped) return ExitCode.STOPPED;
        out.println();
        out.println("CPU per message " + num("%.3f", summary.cpuOff()) + " us off, " + num("%.3f", summary.cpuOn())
                + " us on, per pair " + ReportWriter.interval(summary.cpu()) + "; throughput off " + num("%,.0f", summary.throughputOff())
                + " metrics/s, on " + num("%,.0f", summary.throughputOn()) + " metrics/s, per pair "
                + ReportWriter.throughputChange(summary.throughput()));
        out.println(summary.verdict());
        out.println(summary.throughputVerdict());
        summary.notes().forEach(out::println);
        out.println(summary.startupVerdict());
        rounds.stream().map(RoundResult::rateNote).filter(java.util.Objects::nonNull)
                .forEach(note -> out.println("WARNING: FIXED RATE NOT KEPT: " + note));
        out.println("report: " + settings.output().resolve("report.md") + ", " + settings.output().resolve("report.json")
                + ", plot " + plot);
        if (!mismatches.isEmpty()) {
            out.println("MISMATCHES (" + mismatches.size() + "):");
            mismatches.forEach(m -> out.println("  " + m));
        }
        if (!errors.isEmpty()) {
            out.println("ERRORS (" + errors.size() + "; the report holds the " + rounds.size() + " rounds done):");
            errors.forEach(m -> out.println("  " + m));
            return ExitCode.FAILURE;
        }
        if (!mismatches.isEmpty()) return ExitCode.MISMATCH;
        out.println("cross-checks: all sources agree with the produced count and with the database");
        return ExitCode.OK;
    }
}
