package io.monasca.perf.path;

import io.monasca.perf.source.MetricPoint;
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
import java.util.Set;
import java.util.LinkedHashSet;

/**
 * The agent's metrics on monasca's production path, every hop its own part:
 * the statsd daemon (perf's statsd listener) -> {@link Forwarder} -> {@link StandInMonascaApi} POST -> Kafka -> the
 * persister under test (the one perf measures: it stores its own metrics, as in production) -> InfluxDB -> the API's
 * GET -> the monasca source. {@link #deliverTo} points the API at the topic the measured persister consumes and the
 * database it writes. The agent's points are tenant {@value #PROJECT}'s and named {@code monasca.persister.*}; the
 * load's are other tenants' and named {@code metric_*}, so neither is ever counted as the other.
 *
 * <p>Timing (perf's, not production's): the runner flushes the daemon at window edges and calls {@link #post} only
 * between windows ({@link #postDue}: every {@code postEvery}, and at the end), so that the API, Kafka, the persister
 * and InfluxDB handle the pipeline's points outside every measured window; the forwarder has no tick of its own.
 * Each hop counts what it refuses or loses; {@link #summary} adds it all up for the report.
 */
public final class MonascaPath implements AutoCloseable {
    public static final String PROJECT = "monitoring";
    /** The database and topic the API starts with (monasca's names), until {@link #deliverTo} says otherwise. */
    public static final String DATABASE = "mon";
    public static final String REGION = "RegionOne";
    public static final String AGENT_USER = "monasca-agent";
    public static final String READER = "perf";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How the path is set up: the forwarder's tick (zero: it posts only when {@link #post} is called), its queue, how
     * often the runner posts, the delay probe's poll and patience, how long a post may retry.
     */
    public record Settings(Duration forwarderTick, int queueLimit, Duration postEvery, Duration probePoll,
                           Duration probeLimit, Duration drainTimeout) {
        /** perf run's: posts between windows, at least {@code postEvery} apart (monasca-agent's daemon: every 20 s). */
        public static Settings forPerf(Duration postEvery) {
            return new Settings(Duration.ZERO, Forwarder.QUEUE_LIMIT, postEvery, Duration.ofMillis(20),
                    Duration.ofSeconds(15), Duration.ofSeconds(60));
        }
    }

    private final Settings settings;
    private final InfluxServer influx;
    private final StandInMonascaApi api;
    private final Forwarder forwarder;
    private final MonascaClient reader;
    private final DelayProbe probe;
    private final PrintStream log;
    private final Path logFile;
    private final Set<String> databases = new LinkedHashSet<>(List.of(DATABASE));
    private long lastPostNanos = System.nanoTime();
    private long posts;
    private long flushes;
    private long firstFlushNanos;
    private long lastFlushNanos;
    private long handled;
    private long unprobed;

    private MonascaPath(Settings settings, InfluxServer influx, StandInMonascaApi api, Forwarder forwarder,
                        MonascaClient reader, DelayProbe probe, PrintStream log, Path logFile) {
        this.settings = settings;
        this.influx = influx;
        this.api = api;
        this.forwarder = forwarder;
        this.reader = reader;
        this.probe = probe;
        this.log = log;
        this.logFile = logFile;
    }

    /** Starts the API and the forwarder; {@code folder} gets the path's log. */
    public static MonascaPath start(Settings settings, String bootstrapServers, InfluxServer influx, Path folder) throws IOException {
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
        MonascaClient reader = reader(api, readerPassword);
        DelayProbe probe = new DelayProbe(reader(api, readerPassword), Map.of("component", "monasca-persister"),
                settings.probePoll().toMillis());
        return new MonascaPath(settings, influx, api, forwarder, reader, probe, log, logFile);
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

    /**
     * From now on the API writes to {@code topic} (the one the persister under test consumes) and reads
     * {@code database} (the one it writes).
     */
    public synchronized void deliverTo(String topic, String database) {
        api.deliverTo(topic, database);
        databases.add(database);
    }

    /** The daemon's hand-off: one flush's points, to the forwarder (which holds them until {@link #post}). */
    public synchronized void intake(List<MetricPoint> points) {
        forwarder.intake(points);
        probe.flushed(points);
        long now = System.nanoTime();
        if (flushes++ == 0) firstFlushNanos = now;
        lastFlushNanos = now;
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

    /** True when {@code postEvery} has passed since the last post (or the start). */
    public synchronized boolean postDue() {
        return System.nanoTime() - lastPostNanos >= settings.postEvery().toNanos();
    }

    /**
     * Posts everything the forwarder holds and replays its queue (retrying while the API fails, up to the drain
     * timeout); returns how many messages the API wrote to Kafka in this call, for the caller to wait until the
     * persister under test has stored them.
     */
    public synchronized long post() throws SourceException {
        long before = api.written();
        try {
            if (!forwarder.drain(settings.drainTimeout())) {
                throw new SourceException("monasca path: the forwarder could not post everything within "
                        + settings.drainTimeout().toSeconds() + " s (" + forwarder.queuedBatches() + " batches queued; see "
                        + logFile + ")", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("monasca path: interrupted while posting", e);
        } finally {
            lastPostNanos = System.nanoTime();
            posts++;
        }
        return api.written() - before;
    }

    /** The persister under test stored {@code messages} of the pipeline's (counted by its admin API). */
    public synchronized void handled(long messages) {
        handled += messages;
    }

    /**
     * After the persister stored what {@link #post} wrote: waits until every posted flush is readable through the API,
     * noting each one's delay; a flush not readable within the probe's limit is counted as unprobed.
     */
    public void probe() throws InterruptedException {
        int left = probe.probe(settings.probeLimit());
        synchronized (this) {
            unprobed = left;
        }
    }

    /** Points of the agent's tenant that InfluxDB holds. */
    public long stored() {
        long total = 0;
        for (String database : databasesSoFar()) {
            JsonNode result = influx.query(database, "select count(value) from /.*/ where \"_tenant_id\" = '"
                    + StandInMonascaApi.tenantOf(PROJECT) + "'");
            for (JsonNode series : result.path("series")) for (JsonNode row : series.path("values")) total += row.path(1).asLong();
        }
        return total;
    }

    private synchronized List<String> databasesSoFar() {
        return new ArrayList<>(databases);
    }

    /**
     * {@code summary.monasca_path}: posted (accepted by the API), rejected (refused with 422, with the reasons),
     * stored (in InfluxDB), the delay from an interval's end until its points are readable (median and max), and what
     * was lost or is still queued, with how the path was set up.
     */
    public synchronized ObjectNode summary(String timing) {
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
        s.put("not_posted", forwarder.pending());
        s.put("handled_by_persister_under_test", handled);
        s.put("posts", posts);
        s.put("daemon_flushes", flushes);
        if (flushes > 1) {
            s.put("daemon_flush_seconds", round3((lastFlushNanos - firstFlushNanos) / 1e9 / (flushes - 1)));
        } else {
            s.putNull("daemon_flush_seconds");
        }
        s.put("unprobed_flushes", unprobed);
        s.put("setup", String.format(Locale.ROOT, "%s; forwarder: %s, queue of %d batches (oldest dropped), replays %d "
                        + "after a success; API %s writing to the topic the persister under test consumes; delay: asked of "
                        + "the API every %d ms after each post, never inside a window",
                timing, settings.forwarderTick().isZero() ? "no tick of its own, it posts only then (monasca-agent's: "
                        + "a 1 s tick, posting at " + Forwarder.POST_THRESHOLD + " points or after " + Forwarder.IDLE_TICKS
                        + " idle ticks)"
                        : "tick " + settings.forwarderTick().toMillis() + " ms, posts at " + Forwarder.POST_THRESHOLD
                        + " points or after " + Forwarder.IDLE_TICKS + " idle ticks",
                settings.queueLimit(), Forwarder.REPLAY, api.monascaUrl(), settings.probePoll().toMillis()));
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
        if (summary.path("handled_by_persister_under_test").asLong() != summary.path("written_to_kafka").asLong()) {
            problems.add("monasca path: the persister under test handled " + summary.path("handled_by_persister_under_test").asLong()
                    + " of the pipeline's messages != " + summary.path("written_to_kafka").asLong() + " the API wrote to Kafka");
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
        forwarder.close();
        api.close();
        log.close();
    }
}
