package io.monasca.perf.path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.monasca.perf.monasca.MonascaClient;
import io.monasca.perf.monasca.MonascaCredentials;
import io.monasca.perf.source.SourceException;
import io.monasca.perf.standin.StandInMonascaApi;
import io.monasca.testkit.influx.InfluxServer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The agent's metrics on monasca's production path, every hop its own part:
 * the statsd daemon (perf's statsd listener) -> {@link Forwarder} -> {@link StandInMonascaApi} POST -> Kafka topic
 * {@code metrics} -> {@link PipelinePersister} -> InfluxDB database {@code mon} -> the API's GET -> the monasca
 * source. The agent's points go in as tenant {@value #PROJECT}'s; the load's points are other tenants' in another
 * database, so neither is ever counted as the other. Each hop counts what it refuses or loses; {@link #summary()}
 * adds it all up for the report.
 */
public final class MonascaPath implements AutoCloseable {
    public static final String PROJECT = "monitoring";
    public static final String DATABASE = "mon";
    public static final String REGION = "RegionOne";
    public static final String AGENT_USER = "monasca-agent";
    public static final String READER = "perf";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the path is set up: the daemon's flush, the forwarder's tick, the pipeline persister's batches. */
    public record Settings(Duration daemonFlush, Duration forwarderTick, int queueLimit, int persisterBatchSize,
                           Duration persisterMaxBatchTime, Duration probePoll, Duration drainTimeout) {
        /** perf's defaults: the forwarder's real tick; a persister batch of 1,000 or 1 s (real: 20,000 or 30 s). */
        public static Settings forPerf(Duration daemonFlush) {
            return new Settings(daemonFlush, Duration.ofSeconds(1), Forwarder.QUEUE_LIMIT, 1000, Duration.ofSeconds(1),
                    Duration.ofMillis(500), Duration.ofSeconds(60));
        }
    }

    private final Settings settings;
    private final InfluxServer influx;
    private final StandInMonascaApi api;
    private final Forwarder forwarder;
    private final PipelinePersister persister;
    private final MonascaClient reader;
    private final DelayProbe probe;
    private final PrintStream log;
    private final Path logFile;
    private volatile Runnable daemonFlush = () -> { };

    private MonascaPath(Settings settings, InfluxServer influx, StandInMonascaApi api, Forwarder forwarder,
                        PipelinePersister persister, MonascaClient reader, DelayProbe probe, PrintStream log, Path logFile) {
        this.settings = settings;
        this.influx = influx;
        this.api = api;
        this.forwarder = forwarder;
        this.persister = persister;
        this.reader = reader;
        this.probe = probe;
        this.log = log;
        this.logFile = logFile;
    }

    /** Starts the API, the forwarder and the pipeline persister; {@code folder} gets the path's log and the persister's. */
    public static MonascaPath start(Settings settings, String bootstrapServers, InfluxServer influx, Path persisterJar,
                                    Path folder) throws IOException {
        Files.createDirectories(folder);
        influx.createDatabase(DATABASE);
        createTopic(bootstrapServers);
        String agentPassword = UUID.randomUUID().toString();
        String readerPassword = UUID.randomUUID().toString();
        StandInMonascaApi api = new StandInMonascaApi("127.0.0.1", 0, REGION, influx.url(), DATABASE, bootstrapServers)
                .user(AGENT_USER, agentPassword, PROJECT, StandInMonascaApi.AGENT_ROLE)
                .user(READER, readerPassword, PROJECT, StandInMonascaApi.READ_ROLE);
        Path logFile = folder.resolve("monasca-path.log");
        PrintStream log = new PrintStream(Files.newOutputStream(logFile), true, StandardCharsets.UTF_8);
        Forwarder forwarder = new Forwarder(api.keystoneUrl(), api.monascaUrl(), AGENT_USER, agentPassword, PROJECT,
                settings.forwarderTick(), settings.queueLimit(), log);
        PipelinePersister persister = PipelinePersister.start(persisterJar, folder.resolve("persister"), bootstrapServers,
                StandInMonascaApi.TOPIC, influx.url(), DATABASE, settings.persisterBatchSize(), settings.persisterMaxBatchTime());
        MonascaClient reader = reader(api, readerPassword);
        DelayProbe probe = new DelayProbe(reader(api, readerPassword), Map.of("component", "monasca-persister"),
                settings.probePoll().toMillis());
        return new MonascaPath(settings, influx, api, forwarder, persister, reader, probe, log, logFile);
    }

    /** Topic {@code metrics}, one partition, before anyone writes or reads it. */
    private static void createTopic(String bootstrapServers) throws IOException {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(StandInMonascaApi.TOPIC, 1, (short) 1)))
                    .all().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw new IOException("could not create topic " + StandInMonascaApi.TOPIC + ": " + e.getCause(), e);
            }
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new IOException("could not create topic " + StandInMonascaApi.TOPIC + ": " + e, e);
        }
    }

    private static MonascaClient reader(StandInMonascaApi api, String password) {
        return new MonascaClient(new MonascaCredentials(api.keystoneUrl(), READER, password, PROJECT, "Default", "Default",
                REGION, null, Duration.ofSeconds(10)));
    }

    /** The daemon's flush, called first by {@link #drain()}. */
    public void daemon(Runnable flush) {
        this.daemonFlush = flush;
    }

    /** The daemon's hand-off: one flush's points, to the forwarder. */
    public void intake(List<MetricPoint> points) {
        forwarder.intake(points);
        probe.flushed(points);
    }

    /** A client reading the API as an operator of the agent's project would. */
    public MonascaClient reader() {
        return reader;
    }

    public StandInMonascaApi api() {
        return api;
    }

    public Forwarder forwarder() {
        return forwarder;
    }

    /**
     * Flushes the daemon, drains the forwarder, and waits until the pipeline persister has stored every metric the API
     * wrote to Kafka: afterwards the API's GETs see everything the agent sent so far.
     */
    public void drain() throws SourceException {
        daemonFlush.run();
        try {
            if (!forwarder.drain(settings.drainTimeout())) {
                throw new SourceException("monasca path: the forwarder could not post everything within "
                        + settings.drainTimeout().toSeconds() + " s (" + forwarder.queuedBatches() + " batches queued; see "
                        + logFile + ")", null);
            }
            long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
            String lastError = null;
            while (true) {
                long committed = -1;
                try {
                    committed = persister.committed();
                    if (committed >= api.written()) break;
                } catch (Exception e) { // the broker's group coordinator may still be loading: ask again
                    lastError = e.toString();
                }
                if (!persister.isAlive()) {
                    throw new SourceException("monasca path: the pipeline's persister exited: " + persister.logTail(), null);
                }
                if (System.nanoTime() > deadline) {
                    throw new SourceException("monasca path: the persister stored " + (committed < 0 ? "?" : committed)
                            + " of the " + api.written() + " metrics the API wrote to Kafka within "
                            + settings.drainTimeout().toSeconds() + " s" + (lastError == null ? "" : " (last error: " + lastError + ")"), null);
                }
                Thread.sleep(50);
            }
            probe.probe();
        } catch (SourceException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("monasca path: interrupted while draining", e);
        } catch (Exception e) {
            throw new SourceException("monasca path: " + e, e);
        }
    }

    /** Points of the agent's tenant that InfluxDB holds. */
    public long stored() {
        JsonNode result = influx.query(DATABASE, "select count(value) from /.*/ where \"_tenant_id\" = '"
                + StandInMonascaApi.tenantOf(PROJECT) + "'");
        long total = 0;
        for (JsonNode series : result.path("series")) for (JsonNode row : series.path("values")) total += row.path(1).asLong();
        return total;
    }

    /**
     * {@code summary.monasca_path}: posted (accepted by the API), rejected (refused with 422, with the reasons),
     * stored (in InfluxDB), the delay from an interval's end until its points are readable (median and max), and what
     * was lost or is still queued, with how the path was set up.
     */
    public ObjectNode summary() {
        ObjectNode s = JSON.createObjectNode();
        s.put("posted", forwarder.posted());
        s.put("rejected", forwarder.rejected());
        long stored;
        try {
            stored = stored();
            s.put("stored", stored);
        } catch (RuntimeException e) {
            s.putNull("stored");
            s.put("stored_error", e.getMessage());
        }
        List<Double> delays = probe.delays();
        if (delays.isEmpty()) {
            s.putNull("delay_seconds_p50");
            s.putNull("delay_seconds_max");
        } else {
            s.put("delay_seconds_p50", round3(median(delays)));
            s.put("delay_seconds_max", round3(delays.get(delays.size() - 1)));
        }
        s.put("delay_samples", delays.size());
        s.put("written_to_kafka", api.written());
        s.put("lost_to_queue_limit", forwarder.lost());
        s.put("failed_posts", forwarder.failedPosts());
        s.put("queued_batches", forwarder.queuedBatches());
        s.put("kafka_failures", api.kafkaFailures());
        s.set("rejections", JSON.valueToTree(forwarder.reasons()));
        s.put("daemon_flush_seconds", settings.daemonFlush().toMillis() / 1000.0);
        s.put("setup", String.format(Locale.ROOT, "daemon flush every %.3f s (monasca-agent's default: 20 s); forwarder "
                        + "tick %.1f s, posts at %d points or after %d idle ticks, queue of %d batches, replays %d; API %s; "
                        + "persister: %s; delay: polled through the API every %d ms",
                settings.daemonFlush().toMillis() / 1000.0, settings.forwarderTick().toMillis() / 1000.0, Forwarder.POST_THRESHOLD,
                Forwarder.IDLE_TICKS, settings.queueLimit(), Forwarder.REPLAY, api.monascaUrl(), persister.describe(),
                settings.probePoll().toMillis()));
        return s;
    }

    /** What is wrong with the path after a run: rejected, lost or unstored points. Empty when posted = stored. */
    public List<String> problems(ObjectNode summary) {
        List<String> problems = new ArrayList<>();
        if (summary.path("rejected").asLong() > 0) {
            problems.add("monasca path: the API refused " + summary.path("rejected").asLong() + " points: " + summary.path("rejections"));
        }
        if (summary.path("lost_to_queue_limit").asLong() > 0) {
            problems.add("monasca path: the forwarder's queue limit dropped " + summary.path("lost_to_queue_limit").asLong() + " points");
        }
        if (summary.path("stored").asLong(-1) != summary.path("posted").asLong()) {
            problems.add("monasca path: stored " + summary.path("stored") + " != posted " + summary.path("posted").asLong());
        }
        return problems;
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    @Override
    public void close() {
        probe.close();
        forwarder.close();
        persister.close();
        api.close();
        log.close();
    }
}
