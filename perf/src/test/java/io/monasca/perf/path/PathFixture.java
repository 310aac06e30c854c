package io.monasca.perf.path;

import io.monasca.perf.source.StatsdSource;
import io.monasca.testkit.influx.InfluxServer;

import java.nio.file.Path;
import java.time.Duration;

/** A production path for tests: quick flushes and ticks, small persister batches, the sample persister built by Maven. */
final class PathFixture {
    static final Duration FLUSH = Duration.ofMillis(200);

    private PathFixture() {
    }

    static MonascaPath.Settings settings(int queueLimit) {
        return new MonascaPath.Settings(FLUSH, Duration.ofMillis(200), queueLimit, 100, Duration.ofSeconds(1),
                Duration.ofMillis(100), Duration.ofSeconds(40));
    }

    static Path persisterJar() {
        String jar = System.getProperty("sample-persister.jar");
        if (jar == null) throw new IllegalStateException("system property sample-persister.jar is not set (run with Maven's failsafe)");
        return Path.of(jar);
    }

    static MonascaPath start(String bootstrapServers, InfluxServer influx, Path folder, int queueLimit) throws Exception {
        return MonascaPath.start(settings(queueLimit), bootstrapServers, influx, persisterJar(), folder);
    }

    static StatsdSource daemon(MonascaPath path) throws Exception {
        StatsdSource statsd = new StatsdSource(0, FLUSH, path::intake);
        path.daemon(statsd::flush);
        return statsd;
    }
}
