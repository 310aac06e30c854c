package io.monasca.perf.path;

import io.monasca.perf.source.MetricPoint;
import io.monasca.perf.standin.StandInMonascaApi;
import io.monasca.testkit.http.FaultProxy;
import io.monasca.testkit.influx.InfluxServer;
import io.monasca.testkit.kafka.KafkaBrokerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults at each hop of the production path, with real parts (a Kafka broker in its own process, influxd, the sample
 * persister's jar): the API answering 503 for a while (queued, replayed as monasca-agent's forwarder does), the
 * forwarder's queue limit (the oldest batches dropped and counted), Kafka away from the API (503, queued, replayed),
 * InfluxDB away from the persister (at-least-once: everything stored once it is back). Nothing is lost without a count.
 */
class MonascaPathFaultsIT {
    @TempDir
    static Path temp;
    private static KafkaBrokerProcess kafka;
    private static InfluxServer influx;
    private static MonascaPath path;
    private static FaultProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaBrokerProcess.started();
        influx = InfluxServer.started();
        path = PathFixture.start(kafka.bootstrapServers(), influx, temp.resolve("path"), 1000);
        path.api().user("poster", "secret", MonascaPath.PROJECT, StandInMonascaApi.AGENT_ROLE);
        proxy = FaultProxy.to("http://127.0.0.1:" + path.api().monascaUrl().getPort());
    }

    @AfterAll
    static void stop() {
        if (proxy != null) proxy.close();
        if (path != null) PathFixture.close(path);
        if (influx != null) influx.close();
        if (kafka != null) kafka.close();
    }

    /** A forwarder of its own, posting through the fault proxy. */
    private static Forwarder forwarderThroughProxy(int queueLimit, Path log) throws Exception {
        return new Forwarder(path.api().keystoneUrl(), java.net.URI.create(proxy.url() + "/v2.0"), "poster", "secret",
                MonascaPath.PROJECT, Duration.ofMillis(100), queueLimit,
                new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8));
    }

    private static List<MetricPoint> batch(String name, int points) {
        List<MetricPoint> batch = new ArrayList<>();
        double now = System.currentTimeMillis();
        for (int i = 0; i < points; i++) batch.add(new MetricPoint(name, Map.of("hostname", "h", "i", Integer.toString(i)), i, now));
        return batch;
    }

    private static long stored(String name) {
        return influx.count(MonascaPath.DATABASE, "^" + name.replace(".", "\\.") + "$");
    }

    private static void await(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
            Thread.sleep(50);
        }
    }

    @Test
    void theApiAnswering503ForAWhileLosesNothing() throws Exception {
        Path log = temp.resolve("api503.log");
        try (Forwarder forwarder = forwarderThroughProxy(1000, log)) {
            failPosts(forwarder, "fault.api503", 3, 4);
            assertEquals(3, forwarder.queuedBatches(), "each failed batch is queued");
            assertEquals(0, forwarder.posted());
            proxy.set(FaultProxy.Fault.passThrough());
            forwarder.intake(batch("fault.api503", 4));
            // one successful POST, then up to 5 queued batches replayed, newest first
            await(() -> forwarder.posted() == 16, Duration.ofSeconds(10), "all 16 points are posted");
            assertEquals(0, forwarder.queuedBatches());
            assertEquals(0, forwarder.lost(), "none lost to the queue limit");
            assertEquals(0, forwarder.rejected());
            PathFixture.drain(path);
            assertEquals(16, stored("fault.api503"), "every point stored once");
            assertTrue(Files.readString(log).contains("HTTP 503"), Files.readString(log));
        }
    }

    @Test
    void theQueueLimitDropsTheOldestBatchesAndCountsThem() throws Exception {
        Path log = temp.resolve("queue.log");
        try (Forwarder forwarder = forwarderThroughProxy(2, log)) {
            failPosts(forwarder, "fault.queue", 4, 3);
            assertEquals(2, forwarder.queuedBatches());
            assertEquals(6, forwarder.lost(), "the two oldest batches of 3 points");
            assertTrue(Files.readString(log).contains("queue full"), Files.readString(log));
            proxy.set(FaultProxy.Fault.passThrough());
            assertTrue(forwarder.drain(Duration.ofSeconds(10)));
            assertEquals(6, forwarder.posted());
            PathFixture.drain(path);
            assertEquals(6, stored("fault.queue"));
        }
    }

    @Test
    void kafkaAwayFromTheApiIs503QueuedAndReplayed() throws Exception {
        long posted = path.forwarder().posted();
        long failures = path.api().kafkaFailures();
        kafka.stop();
        try {
            path.intake(batch("fault.kafka", 5));
            await(() -> path.api().kafkaFailures() > failures, Duration.ofSeconds(20), "the API answered 503");
            await(() -> path.forwarder().queuedBatches() > 0, Duration.ofSeconds(10), "the batch is queued");
            assertEquals(posted, path.forwarder().posted());
        } finally {
            kafka.start();
        }
        PathFixture.drain(path);
        assertEquals(posted + 5, path.forwarder().posted());
        assertTrue(stored("fault.kafka") >= 5, "stored once Kafka is back (a partly sent batch may be stored twice)");
        assertEquals(0, path.forwarder().lost());
    }

    @Test
    void influxAwayFromThePersisterLosesNothing() throws Exception {
        influx.stop();
        try {
            path.intake(batch("fault.influx", 7));
            await(() -> path.forwarder().queuedBatches() == 0 && path.api().written() > 0, Duration.ofSeconds(10), "posted");
            Thread.sleep(2500); // the persister tries to write, fails, keeps the batch and retries
        } finally {
            influx.start();
        }
        PathFixture.drain(path);
        assertEquals(7, stored("fault.influx"), "at-least-once: stored when InfluxDB is back");
    }

    /** With the API answering 503: {@code posts} batches of {@code points} points, each POST seen failing. */
    private void failPosts(Forwarder forwarder, String name, int posts, int points) throws Exception {
        proxy.set(FaultProxy.Fault.answer(503, "{\"title\":\"Service Unavailable\",\"description\":\"down\"}"));
        for (int i = 0; i < posts; i++) {
            long failed = forwarder.failedPosts();
            forwarder.intake(batch(name, points));
            await(() -> forwarder.failedPosts() > failed, Duration.ofSeconds(5), "the POST failed");
        }
    }
}
