package io.monasca.perf.path;

import io.monasca.perf.source.StatsdSource;
import io.monasca.perf.standin.StandInMonascaApi;
import io.monasca.testkit.influx.InfluxServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A production path for tests: quick flushes and ticks, and the sample persister (the jar Maven built, its own JVM,
 * small batches) storing what the API writes to topic {@code metrics} in database {@code mon}, as in production.
 */
final class PathFixture {
    static final Duration FLUSH = Duration.ofMillis(200);
    private static final Map<MonascaPath, TestPersister> PERSISTERS = new IdentityHashMap<>();
    private static final Map<MonascaPath, StatsdSource> DAEMONS = new IdentityHashMap<>();

    private PathFixture() {
    }

    static MonascaPath.Settings settings(int queueLimit) {
        return new MonascaPath.Settings(Duration.ofMillis(200), queueLimit, Duration.ZERO, Duration.ofMillis(100),
                Duration.ofSeconds(10), Duration.ofSeconds(40));
    }

    static Path persisterJar() {
        String jar = System.getProperty("sample-persister.jar");
        if (jar == null) throw new IllegalStateException("system property sample-persister.jar is not set (run with Maven's failsafe)");
        return Path.of(jar);
    }

    static synchronized MonascaPath start(String bootstrapServers, InfluxServer influx, Path folder, int queueLimit) throws Exception {
        MonascaPath path = MonascaPath.start(settings(queueLimit), bootstrapServers, influx, folder);
        PERSISTERS.put(path, TestPersister.start(persisterJar(), folder.resolve("persister"), bootstrapServers,
                StandInMonascaApi.TOPIC, influx.url(), MonascaPath.DATABASE, 100, Duration.ofSeconds(1)));
        return path;
    }

    static synchronized StatsdSource daemon(MonascaPath path) throws Exception {
        StatsdSource statsd = new StatsdSource(0, FLUSH, path::intake);
        DAEMONS.put(path, statsd);
        return statsd;
    }

    /**
     * Flushes the daemon, posts everything the forwarder holds, and waits until the persister has stored every
     * metric the API wrote to Kafka: afterwards the API's GETs see everything sent so far.
     */
    static void drain(MonascaPath path) throws Exception {
        StatsdSource daemon;
        TestPersister persister;
        synchronized (PathFixture.class) {
            daemon = DAEMONS.get(path);
            persister = PERSISTERS.get(path);
        }
        if (daemon != null) daemon.flush();
        path.post();
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        long committed = -1;
        while (true) {
            try {
                committed = persister.committed();
                if (committed >= path.api().written()) break;
            } catch (Exception e) { // the broker's group coordinator may still be loading: ask again
                if (System.nanoTime() > deadline) throw e;
            }
            if (!persister.isAlive()) throw new IllegalStateException("the persister exited: " + persister.logTail());
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the persister stored " + committed + " of " + path.api().written() + " metrics");
            }
            Thread.sleep(50);
        }
        path.handled(committed - path.summary("test").path("handled_by_persister_under_test").asLong());
        path.probe();
    }

    static void close(MonascaPath path) {
        TestPersister persister;
        synchronized (PathFixture.class) {
            persister = PERSISTERS.remove(path);
            DAEMONS.remove(path);
        }
        path.close();
        if (persister != null) persister.close();
    }
}
