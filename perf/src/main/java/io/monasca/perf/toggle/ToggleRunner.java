package io.monasca.perf.toggle;

import io.monasca.perf.cpu.MachineCpu;
import io.monasca.perf.cpu.ProcessCpu;
import io.monasca.perf.load.EnvelopeFactory;
import io.monasca.perf.load.LoadGenerator;
import io.monasca.perf.path.MonascaPath;
import io.monasca.perf.report.PairedDifferences;
import io.monasca.perf.run.PersisterConfig;
import io.monasca.perf.run.PersisterProcess;
import io.monasca.perf.run.RoundInfra;
import io.monasca.perf.run.RoundPlan;
import io.monasca.perf.run.RoundRunner;
import io.monasca.perf.run.RunSettings;
import io.monasca.perf.source.AdminSource;
import io.monasca.perf.source.IntervalTiming;
import io.monasca.perf.source.Reading;
import io.monasca.perf.source.SourceException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Toggle mode: one sample persister JVM for the whole run, the agent switched between windows.
 *
 * <p>A window is a number of messages (whole batches per persister thread), sent at the phase's rate or as fast as
 * possible, and it ends when the persister's consumer group has committed every one of them (it commits a batch only
 * once it is written; asked of the broker, which costs the persister nothing). At its two edges the persister is
 * idle, and there (only there) perf reads the persister's CPU time from {@code /proc}, reads its admin API, and
 * switches the agent, so every message of a window is handled entirely with the agent on or entirely off, every
 * batch flush belongs to exactly one window, and a window's CPU time per message has no partial batch or in-flight
 * message at either end.
 *
 * <p>The agent's metrics are put in their window too: after an "on" window perf waits until the statsd listener has
 * received counts adding up to what the admin source counted with the agent on (the agent sends the last calls of a
 * window with its next interval, or at once when detached), so the intervals of one window never mix with the next
 * one's. The span between those moments ({@link Window#agentFrom} .. {@link Window#agentTo}) is what the monasca
 * source is asked for, once, at the end.
 *
 * <p>With the production path ({@link RoundInfra#path}), the daemon is flushed there, at each window's end edge, and
 * at some edges (every {@code postEvery}, and the last) the forwarder posts what it holds: the API writes it to this
 * run's topic, and the persister under test stores it in this run's database, as monasca-persister stores its own
 * metrics. That happens between windows: perf waits until the persister has committed those messages too (they are
 * a partial batch: its maxBatchTime), checks with its admin API that it handled exactly them, and only then starts
 * the next window. So a window's counts, CPU time and throughput are the load's alone. The agent times that work too
 * when it is on at the edge: perf waits for those counts as well and puts them in the window's statsd and monasca
 * counts, shown apart ({@link Window#pipelineCounted}).
 */
public final class ToggleRunner {
    /** The fixed-rate phase's default rate: this share of the backlog phase's throughput with the agent off. */
    public static final double RATE_SHARE = 0.5;
    /** Distinct series of the load: the warm-up creates them all, so the windows only add points to them. */
    public static final int SERIES = 20_000;
    /** The warm-up is steady when its last this many pairs are ({@link SteadyState}); from this many pairs on. */
    static final int WARMUP_PAIRS = 3;
    /** The fixed rate's settle pairs: steady over the last two. */
    static final int RATE_SETTLE_PAIRS = 2;
    /** The fixed rate's settle pairs take at most this share of {@code --warmup-time} (at least one pair). */
    static final double RATE_SETTLE_SHARE = 0.25;

    private final RunSettings settings;
    private final RoundInfra infra;
    private final PrintStream out;
    private final ToggleResult result = new ToggleResult();
    private volatile PersisterProcess running;

    private AdminSource admin;
    private PersisterJvm jvm;
    private ProcessCpu cpu;
    private CommittedOffsets offsets;
    private Reading lastAdmin;
    private long fastWindowSize;
    private AgentSwitch agent;
    private CallCostProbe callCost;
    /** The statsd listener's intervals already given to a window. */
    private int statsdIntervalsTaken;
    private LoadGenerator load;
    private ExecutorService producer;
    private long persisterStartNanos;
    private long nextSequence;
    /** Admin counts of every window with the agent on, added up: what the agent's counts must add up to. */
    private Reading expectedByAgent = Reading.ZERO;
    private Reading statsdBefore = Reading.ZERO;
    private long statsdLinesBefore;
    private Instant agentEdge;
    /** Messages the production path wrote to this run's topic so far (the persister commits them beside the load). */
    private long pipelineWritten;
    /** What the API had written before this run (other runs' or tests' points are on other topics). */
    private long pipelineBefore;

    public ToggleRunner(RunSettings settings, RoundInfra infra, PrintStream out) {
        this.settings = settings;
        this.infra = infra;
        this.out = out;
    }

    /** What the run measured so far (windows done), also when it failed. */
    public ToggleResult result() {
        return result;
    }

    /** Runs warm-up, backlog and fixed-rate windows; throws when the run cannot go on (the result holds the windows done). */
    public ToggleResult run() throws Exception {
        Path folder = settings.output().resolve("persister");
        Files.createDirectories(folder);
        RoundPlan plan = RoundRunner.plan(settings, infra, "toggle");
        infra.kafka().createTopic(plan.topic(), settings.partitions());
        if (infra.influx() != null) infra.influx().createDatabase(plan.database());
        Path config = PersisterConfig.write(folder, plan);
        String agentState = settings.enable() ? "on" : "off";
        // timestamps are base + message number: unique, and in the past for up to 86 million messages
        EnvelopeFactory envelopes = new EnvelopeFactory(System.currentTimeMillis() - 86_400_000L, "RegionOne", SERIES);
        load = new LoadGenerator(infra.kafka().bootstrapServers(), plan.topic(), settings.partitions(), settings.producerThreads(), envelopes);
        producer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "perf-window-load");
            t.setDaemon(true);
            return t;
        });
        agentEdge = Instant.now();
        offsets = new CommittedOffsets(infra.kafka().bootstrapServers(), plan.groupId());
        if (infra.path() != null) {
            infra.path().deliverTo(plan.topic(), plan.database());
            pipelineBefore = infra.path().api().written();
        }
        try {
            startPersister(config, folder.resolve("persister.log"), plan.adminPort());
            agentState = warmUp(agentState);
            agentState = backlog(agentState);
            agentState = fixedRate(agentState);
            collectAgentCounts(agentState.equals("on"), true); // the last window's
        } finally {
            finish(plan);
        }
        return result;
    }

    /**
     * Pairs of unmeasured windows as fast as possible, agent off then on, until the persister is steady (the last
     * {@link #WARMUP_PAIRS} pairs, see {@link SteadyState}) or {@code --warmup-time} has passed (at least one pair).
     * Returns the agent's state: on.
     */
    private String warmUp(String state) throws Exception {
        Settled settled = settle(WindowPlan.warmUpPair(), state, WARMUP_PAIRS, settings.warmupTime().toNanos());
        result.warmupSteady = settled.check().steady();
        result.warmup = String.format(Locale.ROOT, "%d windows, %.0f s: %s: %s", 2 * settled.pairs(), settled.seconds(),
                settled.check().steady() ? "steady" : "--warmup-time " + settings.warmupTime().toSeconds()
                        + " s reached BEFORE A STEADY STATE", settled.check().figures());
        out.println("warm-up: " + result.warmup);
        return settled.state();
    }

    /** What {@link #settle} found: the agent's state after it, the pairs it ran, their seconds, the last check. */
    private record Settled(String state, int pairs, double seconds, SteadyState.Check check) {
    }

    /**
     * Runs {@code pair} (one off and one on window, unmeasured) again and again until the last {@code steadyPairs}
     * pairs are steady ({@link SteadyState}) or {@code limitNanos} has passed: at least one pair.
     */
    private Settled settle(List<WindowPlan.Planned> pair, String state, int steadyPairs, long limitNanos) throws Exception {
        long start = System.nanoTime();
        int first = result.windows.size();
        for (int pairs = 1; ; pairs++) {
            state = run(pair, state);
            SteadyState.Check steady = SteadyState.check(result.windows.subList(first, result.windows.size()), steadyPairs);
            if (steady.steady() || System.nanoTime() - start >= limitNanos) {
                return new Settled(state, pairs, (System.nanoTime() - start) / 1e9, steady);
            }
        }
    }

    /**
     * The backlog phase: measured windows as fast as possible, ABBA order, until {@link StoppingRule} says stop
     * ({@code --backlog-windows}, or {@code --precision} reached, or {@code --max-time} nearly spent).
     */
    private String backlog(String state) throws Exception {
        boolean settle = settings.mode().equals(RunSettings.ATTACH);
        StoppingRule rule = settings.adaptive()
                ? StoppingRule.adaptive(settings.precision(), settings.maxTime().toMillis() / 1000.0)
                : StoppingRule.fixed(settings.backlogWindows());
        for (int number = 1; ; number++) {
            PairedDifferences sofar = PhaseSummary.of(Window.Phase.BACKLOG, result.windows).cpu();
            double perMeasured = windowSeconds() * (settle ? 2 : 1); // attach: a settle window before most
            double reserve = rateReserve(settle);
            String stop = rule.before(number, sofar, seconds(System.nanoTime()), 2 * perMeasured, reserve);
            if (stop != null) {
                result.stoppedBy = stop;
                out.printf(Locale.ROOT, "backlog phase: %d windows, stopped by %s: 95 %% half-width %s points%s%n", number - 1,
                        stop, Double.isFinite(sofar.halfWidth()) ? String.format(Locale.ROOT, "%.2f", sofar.halfWidth()) : "unknown",
                        rule.isFixed() ? "" : String.format(Locale.ROOT, " (--precision %.2f, --max-time %d s, %.0f s spent)",
                                settings.precision(), settings.maxTime().toSeconds(), seconds(System.nanoTime())));
                return state;
            }
            state = run(WindowPlan.measured(Window.Phase.BACKLOG, number, state, settle, false), state,
                    rule.isFixed() ? settings.backlogWindows() : 0);
        }
    }

    /**
     * The fixed-rate phase: pairs of settle windows at the rate until steady (the last {@link #RATE_SETTLE_PAIRS})
     * or {@link #RATE_SETTLE_SHARE} of {@code --warmup-time} has passed (at least one pair); then
     * {@code --rate-windows} measured windows. Returns the agent's state after them.
     */
    private String fixedRate(String state) throws Exception {
        if (settings.rateWindows() == 0) return state;
        long limit = Math.round(RATE_SETTLE_SHARE * settings.warmupTime().toNanos());
        Settled settled = settle(WindowPlan.rateSettlePair(), state, RATE_SETTLE_PAIRS, limit);
        result.rateSettleSteady = settled.check().steady();
        result.rateSettle = String.format(Locale.ROOT, "%d settle windows, %.0f s: %s: %s", 2 * settled.pairs(),
                settled.seconds(), settled.check().steady() ? "steady"
                        : String.format(Locale.ROOT, "%.0f s (a quarter of --warmup-time) reached BEFORE A STEADY STATE",
                        limit / 1e9), settled.check().figures());
        out.println("fixed rate settle: " + result.rateSettle);
        state = settled.state();
        return run(WindowPlan.phase(Window.Phase.RATE, settings.rateWindows(), settings.mode().equals(RunSettings.ATTACH), state, true),
                state, settings.rateWindows());
    }

    /**
     * Seconds the fixed-rate phase will take: its settle pairs (at most a quarter of {@code --warmup-time}, plus the
     * pair that passes it) and its measured windows (with attach's settle windows), each {@code --window} (a window
     * at a fixed rate takes that long whatever the machine, while the persister keeps up) and a second of waits.
     */
    private double rateReserve(boolean settle) {
        if (settings.rateWindows() == 0) return 0;
        double perWindow = settings.windowMessages() > 0 ? windowSeconds() : settings.windowDuration().toMillis() / 1000.0 + 1;
        return (settings.rateWindows() * (settle ? 2 : 1) + 2) * perWindow
                + RATE_SETTLE_SHARE * settings.warmupTime().toMillis() / 1000.0;
    }

    /**
     * Seconds per window so far, waits between windows included: over the last four windows (from their starts to
     * now); 3 s before any.
     */
    private double windowSeconds() {
        int n = Math.min(4, result.windows.size());
        if (n == 0) return 3;
        Window oldest = result.windows.get(result.windows.size() - n);
        return (seconds(System.nanoTime()) - oldest.startSeconds) / n;
    }

    private String run(List<WindowPlan.Planned> windows, String state) throws Exception {
        return run(windows, state, 0);
    }

    /**
     * Runs the windows in order, switching the agent where the mode changes; returns the agent's state after them.
     * {@code phaseWindows}: the measured windows the phase will have, for the printed line (0: not known yet).
     */
    private String run(List<WindowPlan.Planned> windows, String state, int phaseWindows) throws Exception {
        for (WindowPlan.Planned planned : windows) {
            if (planned.atRate() && result.rate == 0) {
                result.rate = settings.rate() > 0 ? settings.rate() : autoRate();
                out.printf(Locale.ROOT, "fixed rate: %,.0f messages/s%s%n", result.rate, settings.rate() > 0 ? ""
                        : String.format(Locale.ROOT, " (%.0f %% of the backlog phase's throughput with the agent off)", 100 * RATE_SHARE));
            }
            double rate = planned.atRate() ? result.rate : 0;
            long messages = size(planned);
            Window previous = result.windows.isEmpty() ? null : result.windows.get(result.windows.size() - 1);
            String switched = null;
            if (previous != null) {
                if (previous.on() && !planned.mode().equals("on") && settings.mode().equals(RunSettings.ATTACH)) {
                    switched = agent.switchTo(planned.mode()); // detach sends the last interval at once
                    state = planned.mode();
                }
                collectAgentCounts(state.equals("on"), false);
            }
            if (!planned.mode().equals(state)) {
                switched = agent.switchTo(planned.mode());
                state = planned.mode();
            }
            DirectCost.Calibration calibration = planned.mode().equals("on") ? callCost.calibrate() : null; // an edge
            Window w = measure(planned, rate, messages);
            w.callCost = calibration;
            result.callCostUnavailable = callCost.unavailable();
            w.switched = switched;
            result.windows.add(w);
            print(w, phaseWindows);
        }
        return state;
    }

    private void startPersister(Path config, Path log, int adminPort) throws Exception {
        List<String> jvmOptions = new ArrayList<>(List.of("-Xmx" + settings.persisterHeap(), "-Xms" + settings.persisterHeap()));
        String agentArgument = null;
        if (settings.enable()) {
            agentArgument = "-javaagent:" + settings.agentJar() + "=" + settings.agentOptions(infra.statsd().port());
        } else {
            jvmOptions.add("-XX:+EnableDynamicAgentLoading"); // each attach loads the jar: no JDK 21+ warning each time
            jvmOptions.add("-Xlog:redefine+class+load=info"); // every retransformation in the persister's log
        }
        persisterStartNanos = System.nanoTime();
        PersisterProcess persister = PersisterProcess.start(PersisterProcess.command(settings.persisterJar(), config,
                agentArgument, jvmOptions), log);
        running = persister;
        admin = new AdminSource(List.of("127.0.0.1"), adminPort, Duration.ofSeconds(2));
        long deadline = persisterStartNanos + settings.roundTimeout().toNanos();
        while (true) {
            Thread.sleep(settings.poll().toMillis());
            requireAlive();
            try {
                admin.read();
                break;
            } catch (SourceException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the sample persister's admin API did not answer within "
                            + settings.roundTimeout().toSeconds() + " s (" + notYet.getMessage() + "); its log "
                            + persister.log() + " ends with:\n" + persister.logTail(20), notYet);
                }
            }
        }
        result.adminUpSeconds = seconds(System.nanoTime());
        jvm = PersisterJvm.attach(persister.pid());
        cpu = new ProcessCpu(persister.pid());
        result.cpuSource = "/proc/" + persister.pid() + ": the threads' run time (task/*/schedstat, ns), checked against "
                + "utime + stime (stat, 10 ms ticks)";
        agent = new AgentSwitch(settings.mode(), jvm, settings.agentJar().toString(), settings.agentOptions(infra.statsd().port()));
        callCost = new CallCostProbe(jvm);
        if (settings.enable()) agent.awaitRunning();
        out.printf("persister: process %d, admin API up after %.1f s; agent %s by %s%n", persister.pid(),
                result.adminUpSeconds, settings.enable() ? "loaded with -javaagent, switched" : "switched", agent.how());
    }

    /** One window: its edges read with the persister idle, its messages sent, the broker asked until all are committed. */
    private Window measure(WindowPlan.Planned planned, double rate, long messages) throws Exception {
        Window w = new Window();
        w.index = result.windows.size() + 1;
        w.phase = planned.phase();
        w.number = planned.number();
        w.mode = planned.mode();
        w.rate = rate;
        w.agentFrom = agentEdge;
        Reading before = lastAdmin != null ? lastAdmin : admin.read(); // nothing is processed between two windows
        ProcessCpu.Sample cpuBefore = cpu.sample();
        MachineCpu.Sample machineBefore = machine();
        long start = System.nanoTime();
        w.startSeconds = seconds(start);
        long first = nextSequence;
        nextSequence += messages;
        Future<Long> sending = producer.submit(() -> load.produce(first, messages, rate, 1000L * w.index));
        long deadline = start + settings.roundTimeout().toNanos();
        long committed = 0;
        while (true) {
            Thread.sleep(10);
            requireAlive();
            if (sending.isDone()) { // no need to ask before: the persister cannot be done before the producer
                committed = offsets.sum() - pipelineWritten;
                if (committed >= nextSequence) break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(w.label() + " (" + w.mode + ") timed out after "
                        + settings.roundTimeout().toSeconds() + " s with " + (committed - first) + " of "
                        + messages + " messages committed by the persister");
            }
        }
        ProcessCpu.Sample cpuAfter = cpu.sample();
        MachineCpu.Sample machineAfter = machine();
        long end = System.nanoTime();
        Reading now = admin.read();
        lastAdmin = now;
        w.produced = join(sending);
        w.seconds = (end - start) / 1e9;
        w.cpu = cpuAfter.since(cpuBefore);
        if (machineBefore != null && machineAfter != null) w.machine = machineAfter.since(machineBefore);
        Reading counted = now.minus(before);
        w.received = counted.received();
        w.persisted = counted.persisted();
        w.sources.put("admin", counted);
        check(w, "admin", counted);
        if (w.on()) expectedByAgent = new Reading(expectedByAgent.received() + counted.received(),
                expectedByAgent.persisted() + counted.persisted());
        return w;
    }

    /** The machine's CPU time now, or null where /proc/stat cannot be read (the window is measured without it). */
    private static MachineCpu.Sample machine() {
        try {
            return MachineCpu.sample();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The agent's counts of the last window: after an "on" window, waits until they have all arrived (the agent
     * sends a window's last calls with its next interval; a detach sends them at once), at most two intervals and two
     * seconds; then flushes the daemon and takes them from the statsd listener. An "off" window must have none: zero
     * counts (disabled), no line at all (detached). With the production path this is the daemon's flush, and at a
     * posting edge ({@code last}, or when the path says one is due) the pipeline's points are delivered here, with
     * the agent in state {@code agentOn}; their counts are waited for too, except at the last edge.
     */
    private void collectAgentCounts(boolean agentOn, boolean last) throws Exception {
        Window w = result.windows.get(result.windows.size() - 1);
        if (infra.statsd() == null || !settings.sources().contains("statsd") && !settings.sources().contains("monasca")) return;
        awaitAgentCounts(w, w.on());
        infra.statsd().flush();
        MonascaPath path = infra.path();
        if (path != null && (last || path.postDue())) {
            long messages = deliverPipeline(w);
            if (!last && agentOn && messages > 0) { // the agent timed the persister storing them: in this window's counts
                w.pipelineCounted = messages;
                expectedByAgent = new Reading(expectedByAgent.received() + messages, expectedByAgent.persisted() + messages);
                awaitAgentCounts(w, true);
                infra.statsd().flush();
            }
        }
        Reading statsd = infra.statsd().read();
        w.percentiles = infra.statsd().takePercentiles();
        List<IntervalTiming> intervals = infra.statsd().intervals();
        w.timedCalls = DirectCost.timedCalls(intervals.subList(statsdIntervalsTaken, intervals.size()));
        statsdIntervalsTaken = intervals.size();
        long lines = infra.statsd().lines();
        w.statsdLines = lines - statsdLinesBefore;
        Reading counted = statsd.minus(statsdBefore);
        statsdBefore = statsd;
        statsdLinesBefore = lines;
        agentEdge = Instant.now().plusMillis(1); // the daemon-like flush stamps with ms: nothing later falls before
        w.agentTo = agentEdge;
        if (settings.sources().contains("statsd")) {
            w.sources.put("statsd", counted);
            check(w, "statsd", counted);
            if (!w.on() && !settings.enable() && w.statsdLines != 0) {
                w.mismatches.add(w.label() + " (off): " + w.statsdLines + " statsd lines arrived with the agent detached");
            }
        }
    }

    /**
     * When {@code wait}, waits (two intervals and two seconds at most) until the agent's counts reach what it must have
     * sent; then makes sure the listener has taken in every datagram that reached it.
     */
    private void awaitAgentCounts(Window w, boolean wait) throws InterruptedException {
        if (wait) infra.statsd().awaitSeen(expectedByAgent, settings.agentCountsTimeout());
        try {
            if (!infra.statsd().sync(Duration.ofSeconds(2))) w.mismatches.add(w.label() + ": the statsd listener fell behind");
        } catch (IOException e) {
            w.mismatches.add(w.label() + ": could not sync with the statsd listener: " + e.getMessage());
        }
    }

    /**
     * Between windows: the forwarder posts what it holds, the API writes it to this run's topic, and the persister
     * under test stores it; returns when it has committed all of it, having checked with its admin API that it
     * handled exactly those messages, and after the delay probe has seen them readable.
     */
    private long deliverPipeline(Window w) throws Exception {
        MonascaPath path = infra.path();
        Reading before = lastAdmin != null ? lastAdmin : admin.read();
        long messages;
        try {
            messages = path.post();
        } catch (SourceException e) {
            w.mismatches.add(w.label() + ": " + e.getMessage());
            messages = 0; // what did reach Kafka is counted by the next post's wait
        }
        pipelineWritten = path.api().written() - pipelineBefore;
        long deadline = System.nanoTime() + settings.roundTimeout().toNanos();
        while (offsets.sum() < nextSequence + pipelineWritten) {
            requireAlive();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(w.label() + ": the persister did not commit the pipeline's " + messages
                        + " messages within " + settings.roundTimeout().toSeconds() + " s");
            }
            Thread.sleep(10);
        }
        Reading now = admin.read();
        lastAdmin = now;
        Reading handled = now.minus(before);
        w.pipelineAfter = handled.received();
        if (handled.received() != messages || handled.persisted() != messages) {
            w.mismatches.add(w.label() + ": after the window the persister received " + handled.received() + " and persisted "
                    + handled.persisted() + " of the pipeline's " + messages + " messages");
        }
        path.handled(handled.persisted());
        path.probe();
        return messages;
    }

    /**
     * A source's counts for a window: admin, every message produced; statsd and monasca, every message produced when
     * the agent was on, none when off, plus the pipeline's messages it counted at the window's end edge.
     */
    private void check(Window w, String source, Reading counted) {
        long expected = source.equals("admin") ? w.produced : (w.on() ? w.produced : 0) + w.pipelineCounted;
        String where = w.label() + " (" + w.mode + "): " + source;
        if (counted.received() != expected) w.mismatches.add(where + " received " + counted.received() + " != " + expected);
        if (counted.persisted() != expected) w.mismatches.add(where + " persisted " + counted.persisted() + " != " + expected);
    }

    /**
     * Messages for the next window, whole batches per persister thread: {@code --window-messages}; else as many as
     * take about {@code --window}: at the fixed rate, rate x window; as fast as possible, from the throughput of the
     * last four warm-up or measured windows (two batches per thread for the very first), decided anew for each
     * warm-up window and at the start of each ABBA quadruple (windows 1, 5, 9, ...), so that the two windows of a
     * pair are always the same size.
     */
    private long size(WindowPlan.Planned planned) {
        long unit = settings.batchUnit();
        if (settings.windowMessages() > 0) return settings.windowMessages();
        double seconds = settings.windowDuration().toMillis() / 1000.0;
        if (planned.atRate()) return units(result.rate * seconds, unit);
        if (result.windows.isEmpty()) return 2 * unit; // the first warm-up window: nothing to go by yet
        if (fastWindowSize == 0 || planned.number() % 4 == 1 || planned.kind() == WindowPlan.Kind.WARMUP) {
            List<Window> fast = result.windows.stream().filter(w -> w.rate == 0 && (w.measured() || w.phase == Window.Phase.WARMUP)).toList();
            double throughput = fast.subList(Math.max(0, fast.size() - 4), fast.size()).stream()
                    .mapToDouble(Window::throughput).average().orElse(0);
            fastWindowSize = units(throughput * seconds, unit);
        }
        return fastWindowSize;
    }

    /** {@code messages} rounded to whole units, at least one. */
    static long units(double messages, long unit) {
        return Math.max(1, Math.round(messages / unit)) * unit;
    }

    /** {@link #RATE_SHARE} of the backlog phase's "off" throughput (of all windows as fast as possible without it). */
    private double autoRate() {
        double[] off = result.windows.stream().filter(w -> w.rate == 0 && w.measured() && !w.on()).mapToDouble(Window::throughput).toArray();
        if (off.length == 0) off = result.windows.stream().filter(w -> w.rate == 0).mapToDouble(Window::throughput).toArray();
        double mean = java.util.Arrays.stream(off).average().orElse(0);
        return Math.max(1000, Math.round(RATE_SHARE * mean / 1000.0) * 1000.0);
    }

    /** Stops the persister (SIGTERM), then reads what the database holds and the monasca source per window. */
    private void finish(RoundPlan plan) {
        if (jvm != null) jvm.close();
        PersisterProcess persister = running;
        if (persister != null) {
            try {
                persister.stop(Duration.ofSeconds(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running = null;
        }
        if (producer != null) producer.shutdownNow();
        offsets.close();
        if (load != null) load.close();
        result.produced = nextSequence;
        try {
            result.stored = RoundRunner.stored(infra, plan);
        } catch (IOException | RuntimeException e) {
            result.errors.add("counting the points in the database failed: " + e.getMessage());
        }
        if (infra.monasca() != null && settings.sources().contains("monasca")) {
            List<Window> spanned = result.windows.stream().filter(w -> w.agentTo != null).toList();
            List<Instant> edges = new ArrayList<>();
            if (!spanned.isEmpty()) edges.add(spanned.get(0).agentFrom);
            spanned.forEach(w -> edges.add(w.agentTo));
            try {
                List<Reading> readings = infra.monasca().between(edges);
                for (int i = 0; i < readings.size(); i++) {
                    spanned.get(i).sources.put("monasca", readings.get(i));
                    check(spanned.get(i), "monasca", readings.get(i));
                }
            } catch (SourceException e) {
                result.errors.add(e.getMessage());
            }
        }
    }

    private void print(Window w, int windowsInPhase) {
        String label = w.label() + (w.measured() && windowsInPhase > 0 ? "/" + windowsInPhase : "");
        out.printf(Locale.ROOT, "[%-15s %-3s] %,7d msgs in %6.3f s (%,7.0f/s)  CPU %6.2f us/msg (+ JIT %5.2f)%s%n",
                label, w.mode, w.received, w.seconds, w.throughput(), w.cpuMicrosPerMessage(), w.jitMicrosPerMessage(),
                w.switched == null ? "" : "  after " + w.switched);
    }

    private void requireAlive() throws InterruptedException {
        PersisterProcess persister = running;
        if (persister != null && !persister.isAlive()) {
            throw new IllegalStateException("the sample persister exited (code " + persister.stop(Duration.ZERO)
                    + "); its log " + persister.log() + " ends with:\n" + persister.logTail(20));
        }
    }

    private double seconds(long nanos) {
        return (nanos - persisterStartNanos) / 1e9;
    }

    private static long join(Future<Long> sending) throws Exception {
        try {
            return sending.get();
        } catch (ExecutionException e) {
            throw new Exception(e.getCause().getMessage(), e.getCause());
        }
    }

    /** Kills the persister child JVM, if any (SIGTERM or Ctrl-C of this tool). */
    public void killRunningPersister() {
        PersisterProcess persister = running;
        if (persister != null) persister.kill();
    }

}
