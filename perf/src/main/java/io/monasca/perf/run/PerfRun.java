package io.monasca.perf.run;

import io.monasca.perf.monasca.MonascaClient;
import io.monasca.perf.monasca.MonascaCredentials;
import io.monasca.perf.report.PlotWriter;
import io.monasca.perf.report.ReportWriter;
import io.monasca.perf.report.Summary;
import io.monasca.perf.source.MonascaSource;
import io.monasca.perf.source.StatsdSource;
import io.monasca.perf.standin.StandInMonascaApi;
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
import java.util.UUID;

/**
 * {@code perf run}: starts the embedded set-up (Kafka in this JVM, InfluxDB when installed, the statsd listener,
 * the stand-in Monasca API), runs the rounds agent off / on alternately, and writes the report.
 * Exit code 0 when every source agrees with what was produced and stored, 3 when they do not.
 */
public final class PerfRun {
    public static final int EXIT_MISMATCH = 3;

    private final RunSettings settings;
    private final PrintStream out;

    public PerfRun(RunSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public int execute() throws Exception {
        Files.createDirectories(settings.output());
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("started", Instant.now().toString());
        setup.put("kafka", "embedded single-node KRaft broker in the perf JVM, one topic per round with "
                + settings.partitions() + " partitions");
        out.println("perf run: output in " + settings.output().toAbsolutePath());
        InfluxServer influx = null;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            if (settings.useInflux() && InfluxServer.isInstalled()) {
                influx = InfluxServer.started();
                setup.put("database", "InfluxDB (influxd on PATH) at " + influx.url() + ", one database per round");
                out.println("Database: InfluxDB at " + influx.url());
            } else {
                String why = settings.useInflux() ? "influxd is not on PATH" : "--no-influx was given";
                String note = "NO INFLUXDB (" + why + "): the sample persister writes line protocol to a FILE per round "
                        + "instead, and the cross-check counts that file's lines";
                setup.put("database", note);
                out.println("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
                out.println("!!! " + note);
                out.println("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
            }
            describe(setup);
            List<RoundResult> rounds = new ArrayList<>();
            List<String> warmupMismatches = new ArrayList<>();
            try (StandInMonascaApi standIn = settings.sources().contains("monasca") ? standIn() : null;
                 StatsdSource statsd = new StatsdSource(0, settings.daemonFlush(), standIn == null ? null : standIn::add)) {
                MonascaSource monasca = null;
                if (standIn != null) {
                    setup.put("monasca_api", "STAND-IN Keystone v3 + Monasca API v2.0 served by this tool at "
                            + standIn.monascaUrl() + " (not a real Monasca), fed by the statsd listener's daemon-like "
                            + "aggregation every " + settings.daemonFlush().toMillis() + " ms");
                    monasca = new MonascaSource(new MonascaClient(new MonascaCredentials(standIn.keystoneUrl(), "perf",
                            STAND_IN_PASSWORD, "monitoring", "Default", "Default", "RegionOne", null, Duration.ofSeconds(10))),
                            Map.of("component", "monasca-persister"), MonascaClient.Combine.MERGE, Instant.now());
                    out.println("Monasca API: STAND-IN at " + standIn.monascaUrl() + " (in this JVM; not a real Monasca)");
                }
                setup.put("statsd", "listener on 127.0.0.1:" + statsd.port() + " aggregating like the monasca-agent daemon");
                RoundRunner runner = new RoundRunner(settings, new RoundInfra(kafka, influx, statsd, monasca), out);
                if (settings.warmup()) {
                    RoundResult warmup = runner.run(0, "off");
                    setup.put("warmup", String.format(java.util.Locale.ROOT, "one round with the agent off before round 1, "
                            + "not counted: %.0f metrics/s", warmup.throughput));
                    if (!warmup.mismatches.isEmpty()) warmupMismatches.addAll(warmup.mismatches);
                }
                for (int round = 1; round <= settings.rounds(); round++) {
                    String mode = round % 2 == 1 ? "off" : "on";
                    rounds.add(runner.run(round, mode));
                }
            }
            return report(setup, rounds, warmupMismatches);
        } finally {
            if (influx != null) influx.close();
        }
    }

    private static final String STAND_IN_PASSWORD = UUID.randomUUID().toString();

    private static StandInMonascaApi standIn() throws java.io.IOException {
        return new StandInMonascaApi("127.0.0.1", 0, "RegionOne").user("perf", STAND_IN_PASSWORD, "monitoring", true);
    }

    private void describe(Map<String, Object> setup) {
        setup.put("rounds", settings.rounds() + " (interleaved: odd rounds agent off, even rounds agent on)");
        setup.put("messages_per_round", settings.messages());
        setup.put("load", (settings.rate() > 0 ? "at " + settings.rate() + " messages/s while the persister runs"
                : "as fast as possible, produced before the persister starts (a backlog)")
                + ", " + settings.producerThreads() + " producer threads, one metric per message (JMeter plan semantics)");
        setup.put("persister", settings.persisterJar() + " (child JVM, -Xmx" + settings.persisterHeap() + "), numThreads "
                + settings.persisterThreads() + ", batchSize " + settings.batchSize() + ", maxBatchTime "
                + settings.maxBatchTime().toMillis() + " ms");
        setup.put("agent", settings.agentJar() + " (interval " + settings.agentInterval().toMillis() + " ms, per-thread "
                + settings.perThread() + ", format " + settings.statsdFormat() + ")");
        setup.put("sources", String.join(", ", settings.sources()) + " (statsd and monasca only see rounds with the agent on)");
        setup.put("settle", settings.settle().toMillis() + " ms pause before each round's persister starts (previous "
                + "round's database and broker work done)");
        setup.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        setup.put("cpus", Runtime.getRuntime().availableProcessors());
    }

    private int report(Map<String, Object> setup, List<RoundResult> rounds, List<String> warmupMismatches) throws Exception {
        Summary summary = Summary.of(rounds);
        List<String> mismatches = new ArrayList<>(warmupMismatches);
        rounds.forEach(r -> mismatches.addAll(r.mismatches));
        Path plot = PlotWriter.write(rounds, settings.output());
        List<String> sourceNames = new ArrayList<>(List.of("admin"));
        for (String s : settings.sources()) if (!sourceNames.contains(s)) sourceNames.add(s);
        ReportWriter.write(settings.output(), ReportWriter.json(setup, rounds, summary, mismatches, plot.getFileName().toString()),
                ReportWriter.markdown(setup, rounds, summary, mismatches, plot.getFileName().toString(), sourceNames));
        out.println();
        out.printf(java.util.Locale.ROOT, "throughput off %,.0f metrics/s, on %,.0f metrics/s, overhead %.2f %% "
                        + "(per pair %.2f .. %.2f, stddev %.2f)%n", summary.throughputOff(), summary.throughputOn(),
                summary.overheadPct(), summary.overheadPctMin(), summary.overheadPctMax(), summary.overheadPctStddev());
        out.println("report: " + settings.output().resolve("report.md") + ", " + settings.output().resolve("report.json")
                + ", plot " + plot);
        if (!mismatches.isEmpty()) {
            out.println("MISMATCHES (" + mismatches.size() + "):");
            mismatches.forEach(m -> out.println("  " + m));
            return EXIT_MISMATCH;
        }
        out.println("cross-checks: all sources agree with the produced count and with the database");
        return 0;
    }
}
