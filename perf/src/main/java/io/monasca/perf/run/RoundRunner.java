package io.monasca.perf.run;

import io.monasca.perf.cpu.ProcessCpu;
import io.monasca.perf.load.EnvelopeFactory;
import io.monasca.perf.load.LoadGenerator;
import io.monasca.perf.report.ReportWriter;
import io.monasca.perf.result.RoundResult;
import io.monasca.perf.result.TimelinePoint;
import io.monasca.perf.source.AdminSource;
import io.monasca.perf.source.AgentMetrics;
import io.monasca.perf.source.Reading;
import io.monasca.perf.source.SourceException;
import io.monasca.perf.source.Timing;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One round: a fresh topic filled with the round's messages, the sample persister started (agent off or on),
 * polled through its admin API until every message is persisted, stopped, then read from every source and
 * cross-checked against what was produced and what the database holds.
 *
 * <p>Without {@code --rate} the round's messages are produced before the persister starts (a backlog, so the
 * persister, not this tool's producer, sets the pace on a small machine); with a rate they are produced while it
 * runs, after its admin API answers.
 */
public final class RoundRunner {
    private final RunSettings settings;
    private final RoundInfra infra;
    private final PrintStream out;
    /** The persister child JVM of the round under way, for {@link #killRunningPersister} (a shutdown hook). */
    private volatile PersisterProcess running;

    public RoundRunner(RunSettings settings, RoundInfra infra, PrintStream out) {
        this.settings = settings;
        this.infra = infra;
        this.out = out;
    }

    public RoundResult run(int round, String mode) throws Exception {
        RoundResult result = new RoundResult();
        result.round = round;
        result.mode = mode;
        result.rate = settings.rate();
        boolean agentOn = mode.equals("on");
        String label = round == 0 ? "[warm-up off]" : String.format("[round %d/%d %-3s]", round, settings.rounds(), mode);

        RoundPlan plan = plan(round);
        infra.kafka().createTopic(plan.topic(), settings.partitions());
        if (infra.influx() != null) infra.influx().createDatabase(plan.database());
        Path folder = settings.output().resolve("round-" + round);
        Files.createDirectories(folder);
        Path config = PersisterConfig.write(folder, plan);

        EnvelopeFactory envelopes = new EnvelopeFactory(System.currentTimeMillis() - settings.messages() - 60_000, "RegionOne");
        LoadGenerator load = new LoadGenerator(infra.kafka().bootstrapServers(), plan.topic(), settings.partitions(), settings.messages(),
                settings.producerThreads(), settings.rate(), envelopes, 1000L * round);
        boolean backlog = settings.rate() <= 0;
        if (backlog) {
            long produced = load.run();
            out.printf("%s produced %,d messages to topic %s before starting the persister%n", label, produced, plan.topic());
        }

        if (!settings.settle().isZero()) {
            Thread.sleep(settings.settle().toMillis()); // let the previous round's background work finish
        }
        if (infra.statsd() != null) infra.statsd().reset();
        Reading seenAtStart = infra.statsd() == null ? Reading.ZERO : infra.statsd().seen();
        if (infra.path() != null) infra.path().deliverTo(plan.topic(), plan.database());
        Instant roundStart = Instant.now();
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + settings.persisterHeap(), "-Xms" + settings.persisterHeap()));
        String agent = agentOn ? agentArgument() : null;
        PersisterProcess persister = PersisterProcess.start(
                PersisterProcess.command(settings.persisterJar(), config, agent, jvm), folder.resolve("persister.log"));
        running = persister;
        long startNanos = System.nanoTime();
        AdminSource admin = new AdminSource(List.of("127.0.0.1"), plan.adminPort(), Duration.ofSeconds(2));
        ProcessCpu cpu = ProcessCpu.available() ? new ProcessCpu(persister.pid()) : null;
        ProcessCpu.Sample quietCpu = null; // at the last poll before the first message was received
        ProcessCpu.Sample cpuNow = null;
        CompletableFuture<Long> concurrentLoad = null;
        try {
            ProgressLine progress = new ProgressLine(out, settings.terminal(), 2.0, label, settings.messages());
            double lastQuiet = 0;          // last poll time with nothing received yet (or no answer yet)
            double firstReceived = Double.NaN;
            double lastPersisted = Double.NaN;
            double lastReceived = Double.NaN;
            double previousPoll = 0;
            Reading reading = Reading.ZERO;
            long deadline = startNanos + settings.roundTimeout().toNanos();
            while (true) {
                Thread.sleep(settings.poll().toMillis());
                double now = (System.nanoTime() - startNanos) / 1e9;
                if (!persister.isAlive()) {
                    throw new IllegalStateException("the sample persister exited (code " + persister.stop(Duration.ZERO)
                            + ") in round " + round + "; its log " + persister.log() + " ends with:\n" + persister.logTail(20));
                }
                try {
                    reading = admin.read();
                    cpuNow = sample(cpu);
                } catch (SourceException notReadyYet) {
                    if (Double.isNaN(result.persisterStartSeconds) || result.persisterStartSeconds == 0) lastQuiet = now;
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("round " + round + ": the sample persister's admin API did not answer within "
                                + settings.roundTimeout().toSeconds() + " s (" + notReadyYet.getMessage() + "); its log "
                                + persister.log() + " ends with:\n" + persister.logTail(20), notReadyYet);
                    }
                    continue;
                }
                if (result.persisterStartSeconds == 0) {
                    result.persisterStartSeconds = now;
                    if (!backlog) concurrentLoad = CompletableFuture.supplyAsync(() -> produce(load));
                }
                result.timeline.add(new TimelinePoint(now, reading.received(), reading.persisted()));
                if (reading.received() == 0) {
                    lastQuiet = now;
                    quietCpu = cpuNow;
                } else if (Double.isNaN(firstReceived)) {
                    firstReceived = (lastQuiet + now) / 2;
                    if (quietCpu == null) quietCpu = cpuNow; // the first answer came after the first message
                }
                if (!Double.isNaN(firstReceived)) progress.update(now - firstReceived, reading);
                boolean loadDone = backlog || concurrentLoad.isDone();
                if (!backlog && loadDone && Double.isNaN(result.loadEndSeconds)) result.loadEndSeconds = now;
                long target = backlog ? settings.messages() : load.produced();
                if (loadDone && Double.isNaN(lastReceived) && reading.received() >= target) lastReceived = (previousPoll + now) / 2;
                if (loadDone && reading.persisted() >= target) {
                    lastPersisted = (previousPoll + now) / 2;
                    break;
                }
                previousPoll = now;
                if (System.nanoTime() > deadline) {
                    progress.finish();
                    result.errors.add("round " + round + " timed out after " + settings.roundTimeout().toSeconds()
                            + " s with " + reading.persisted() + " of " + target + " persisted");
                    lastPersisted = now;
                    break;
                }
            }
            progress.finish();
            result.produced = backlog ? settings.messages() : join(concurrentLoad);
            result.received = reading.received();
            result.persisted = reading.persisted();
            result.seconds = Double.isNaN(firstReceived) ? 0 : lastPersisted - firstReceived;
            result.firstReceivedSeconds = Double.isNaN(firstReceived) ? 0 : firstReceived;
            result.throughput = result.seconds > 0 ? result.persisted / result.seconds : 0;
            double receiving = Double.isNaN(lastReceived) || Double.isNaN(firstReceived) ? 0 : lastReceived - firstReceived;
            result.receivedThroughput = receiving > 0 ? result.received / receiving : 0;
            result.sources.put("admin", reading);
            if (quietCpu != null && cpuNow != null) result.cpu = cpuNow.since(quietCpu);
            if (infra.path() != null && result.errors.isEmpty()) {
                if (agentOn) collectStatsd(result, seenAtStart);
                deliverPipeline(result, admin, reading, persister);
            }
        } finally {
            persister.stop(Duration.ofSeconds(15));
            running = null;
        }

        if (agentOn) collectAgentSources(result, roundStart);
        result.stored = stored(infra, plan);
        crossCheck(result, agentOn);
        out.printf("%s %,d persisted in %.3f s: %,.0f metrics/s, CPU %s us/msg%s%n", label, result.persisted, result.seconds,
                result.throughput, ReportWriter.fmt("%.2f", result.cpuMicrosPerMessage()), (result.mismatches.isEmpty() ? "" : "  MISMATCH: " + String.join("; ", result.mismatches))
                        + (result.errors.isEmpty() ? "" : "  ERROR: " + String.join("; ", result.errors)));
        return result;
    }

    /** The persister's CPU time now, or null where there is no /proc. */
    private static ProcessCpu.Sample sample(ProcessCpu cpu) {
        try {
            return cpu == null ? null : cpu.sample();
        } catch (IOException e) {
            return null; // the persister is exiting: this round has no CPU figure
        }
    }

    private static long produce(LoadGenerator load) {
        try {
            return load.run();
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static long join(CompletableFuture<Long> load) throws Exception {
        try {
            return load.get();
        } catch (ExecutionException e) {
            throw new Exception(e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * With the production path, before the persister stops: waits until the agent has sent the round's counts (it
     * sends every interval), flushes the daemon and reads the statsd source, so that the round's agent figures are
     * the load's alone; the pipeline's messages, handled next, are timed by the agent after this reading.
     */
    private void collectStatsd(RoundResult result, Reading seenAtStart) throws InterruptedException {
        infra.statsd().awaitSeen(new Reading(seenAtStart.received() + result.received, seenAtStart.persisted() + result.persisted),
                settings.agentCountsTimeout());
        try {
            if (!infra.statsd().sync(Duration.ofSeconds(2))) result.errors.add("round " + result.round + ": the statsd listener fell behind");
        } catch (IOException e) {
            result.errors.add("round " + result.round + ": could not sync with the statsd listener: " + e.getMessage());
        }
        takeStatsd(result);
    }

    /** Flushes the daemon and takes the round's statsd figures and the agent's intervals. */
    private void takeStatsd(RoundResult result) {
        infra.statsd().flush();
        if (settings.sources().contains("statsd")) {
            result.sources.put("statsd", infra.statsd().read());
            result.timings.put("statsd", infra.statsd().timings());
        }
        result.intervals.addAll(infra.statsd().intervals());
    }

    /**
     * With the production path, after the round's figures are taken: the forwarder posts what it holds, the API
     * writes it to the round's topic, and the round's persister stores it in the round's database, as
     * monasca-persister stores its own metrics; waits until its admin API has counted exactly those messages.
     */
    private void deliverPipeline(RoundResult result, AdminSource admin, Reading before, PersisterProcess persister) throws Exception {
        String where = "round " + result.round + " (" + result.mode + ")";
        long messages;
        try {
            messages = infra.path().post();
        } catch (SourceException e) {
            result.errors.add(where + ": " + e.getMessage());
            return;
        }
        long deadline = System.nanoTime() + settings.roundTimeout().toNanos();
        Reading now = before;
        while (now.persisted() < before.persisted() + messages) {
            if (!persister.isAlive() || System.nanoTime() > deadline) {
                result.errors.add(where + ": the persister stored " + (now.persisted() - before.persisted()) + " of the pipeline's "
                        + messages + " messages " + (persister.isAlive() ? "within " + settings.roundTimeout().toSeconds() + " s" : "before it exited"));
                return;
            }
            Thread.sleep(20);
            now = admin.read();
        }
        Reading handled = now.minus(before);
        result.pipelineAfter = handled.received();
        if (handled.received() != messages || handled.persisted() != messages) {
            result.mismatches.add(where + ": after the load the persister received " + handled.received() + " and persisted "
                    + handled.persisted() + " of the pipeline's " + messages + " messages");
        }
        infra.path().handled(handled.persisted());
        infra.path().probe();
    }

    /**
     * After the persister's exit: the agent's last interval is on its way; wait for it, then read statsd and monasca.
     * With the production path statsd was read before the pipeline's messages ({@link #collectStatsd}).
     */
    private void collectAgentSources(RoundResult result, Instant roundStart) throws InterruptedException {
        if (infra.statsd() == null) return;
        if (infra.path() == null) {
            Thread.sleep(Math.max(500, settings.agentInterval().toMillis()));
            takeStatsd(result);
        }
        if (infra.monasca() != null) {
            try {
                infra.monasca().since(roundStart);
                result.sources.put("monasca", infra.monasca().read());
                Map<String, Timing> timings = new LinkedHashMap<>();
                for (String op : AgentMetrics.TIMED_OPERATIONS) timings.put(op, infra.monasca().timing(op));
                result.timings.put("monasca", timings);
            } catch (SourceException e) {
                result.errors.add(e.getMessage());
            }
        }
    }

    /**
     * Points the persister's database holds (InfluxDB), or lines its file holds (no InfluxDB; then the file is
     * deleted but for a sample: {@link LineProtocolFile}). Called once per persister, after it stopped.
     */
    public static long stored(RoundInfra infra, RoundPlan plan) throws IOException {
        if (infra.influx() != null) {
            return infra.influx().count(plan.database(), "metric_.*");
        }
        return plan.outputFile() == null ? 0 : LineProtocolFile.countAndTrim(plan.outputFile());
    }

    private static void crossCheck(RoundResult r, boolean agentOn) {
        String where = "round " + r.round + " (" + r.mode + ")";
        for (Map.Entry<String, Reading> source : r.sources.entrySet()) {
            if (source.getValue().received() != r.produced) {
                r.mismatches.add(where + ": " + source.getKey() + " received " + source.getValue().received() + " != produced " + r.produced);
            }
            if (source.getValue().persisted() != r.produced) {
                r.mismatches.add(where + ": " + source.getKey() + " persisted " + source.getValue().persisted() + " != produced " + r.produced);
            }
        }
        if (r.stored >= 0 && r.stored != r.produced) {
            r.mismatches.add(where + ": the database holds " + r.stored + " points != produced " + r.produced);
        }
    }

    /** Kills the persister child JVM of the round under way, if any (SIGTERM or Ctrl-C of this tool). */
    public void killRunningPersister() {
        PersisterProcess persister = running;
        if (persister != null) persister.kill();
    }

    private String agentArgument() {
        return "-javaagent:" + settings.agentJar() + "=" + settings.agentOptions(infra.statsd().port());
    }

    private RoundPlan plan(int round) throws IOException {
        return plan(settings, infra, "round-" + round);
    }

    /**
     * What one persister is told: topic {@code metrics-<name>}, a fresh consumer group, database
     * {@code mon_<name>} (or the file {@code <output>/<name>/points.lp}), a free admin port.
     */
    public static RoundPlan plan(RunSettings settings, RoundInfra infra, String name) throws IOException {
        int adminPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            adminPort = socket.getLocalPort();
        }
        String id = name.replace('-', '_');
        URI influx = infra.influx() == null ? null : URI.create(infra.influx().url());
        Path file = infra.influx() == null ? settings.output().resolve(name).resolve("points.lp").toAbsolutePath() : null;
        return new RoundPlan(infra.kafka().bootstrapServers(), "metrics-" + name, "1_metrics_" + id,
                adminPort, influx, "mon_" + id, file, settings.persisterThreads(), settings.batchSize(),
                settings.maxBatchTime());
    }
}
