package io.monasca.sample.persister.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.monasca.testkit.influx.InfluxServer;
import io.monasca.testkit.kafka.EmbeddedKafka;
import io.monasca.testkit.statsd.StatsdLine;
import io.monasca.testkit.statsd.StatsdReceiver;

/**
 * The whole chain with real parts: a Kafka broker, the sample persister in its own JVM with the agent jar,
 * a real influxd, and a UDP statsd receiver. Every message must be counted once by each of the three views
 * (InfluxDB, the admin API, the agent's statsd counters).
 */
class EndToEndWithAgentIT {

    private static final int N = 600;
    private static final String HANDLER = "^monasca\\.persister\\.pipeline\\.event\\.MetricHandler\\[metric-[0-9]+\\]\\.";

    /** The build's JDK, and the second JDK of {@code -Dtest.extra.jdk} when one is given. */
    static Stream<String> javaLaunchers() {
        String extra = System.getProperty("test.extra.jdk", "");
        Stream<String> launchers = Stream.of(PersisterProcess.javaExecutable(System.getProperty("java.home")));
        return extra.isBlank() ? launchers : Stream.concat(launchers, Stream.of(PersisterProcess.javaExecutable(extra)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("javaLaunchers")
    void everyMessageIsStoredOnceAndCountedByTheAdminApiAndTheAgent(String java, @TempDir Path dir) throws Exception {
        Path agentJar = Path.of(System.getProperty("agent.jar", "agent/target/monasca-persister-agent.jar"));
        if (!Files.isRegularFile(agentJar)) {
            throw new AssertionError("agent jar not built: " + agentJar);
        }
        Path agentProperties = Path.of(System.getProperty("sample-persister.dir", "."), "agent.properties");

        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             InfluxServer influx = InfluxServer.started();
             StatsdReceiver statsd = new StatsdReceiver()) {
            kafka.createTopic("metrics", 3);
            influx.createDatabase("mon");
            Path config = Configs.write(dir, "metrics", kafka.bootstrapServers(), influx.url(), "mon", 2, 50, 1, "");
            String agent = "-javaagent:" + agentJar + "=config=" + agentProperties
                    + ",statsd.host=127.0.0.1,statsd.port=" + statsd.port() + ",interval=1s";

            try (PersisterProcess persister = PersisterProcess.start(config, dir.resolve("persister.log"), List.of(agent), java)) {
                Envelopes.send(kafka.bootstrapServers(), "metrics", Envelopes.envelopes(0, N));

                Waits.until(N + " points in InfluxDB", Duration.ofSeconds(60), () -> influx.count("mon", "*") >= N,
                        persister::logTail);
                Waits.until("the agent's flush.items to reach " + N, Duration.ofSeconds(30),
                        () -> sum(statsd.lines(), "monasca.persister.flush.items") >= N, persister::logTail);

                assertEquals(expectedPoints(), storedPoints(influx));

                JsonNode metrics = persister.adminMetrics();
                assertEquals(N, PersisterProcess.sum(metrics, "meters", HANDLER + "events-processed-meter$"));
                assertEquals(N, PersisterProcess.sum(metrics, "meters", HANDLER + "flush-meter$"));
                assertEquals(N, PersisterProcess.sum(metrics, "counters", HANDLER + "metrics-added-to-batch-counter$"));
                assertEquals(0, PersisterProcess.sum(metrics, "counters", HANDLER + "malformed-messages-counter$"));
                assertTrue(PersisterProcess.sum(metrics, "timers", HANDLER + "flush-timer$") > 0);
                assertTrue(PersisterProcess.sum(metrics, "timers",
                        "^monasca\\.persister\\.repository\\.influxdb\\.InfluxV9MetricRepo\\.flush-timer$") > 0);
                assertEquals(2, metrics.path("meters").properties().stream()
                        .filter(e -> e.getKey().endsWith("events-processed-meter")).count(), "one meter per thread");
                assertEquals(200, persister.healthStatus());

                // Let one more agent interval pass: nothing is counted twice.
                Thread.sleep(1500);
                List<StatsdLine> lines = statsd.lines();
                assertEquals(N, sum(lines, "monasca.persister.upsert.received"), "upsert.received");
                assertEquals(N, sum(lines, "monasca.persister.upsert.completed"), "upsert.completed");
                assertEquals(N, sum(lines, "monasca.persister.flush.items"), "flush.items");
                assertEquals(N, sum(lines, "monasca.persister.upsert.thread.received"), "per-thread upsert.received");
                assertEquals(List.of(), statsd.violations(), "lines the monasca-agent statsd daemon would reject");
            }
        }
    }

    /** Sum of the counter lines of exactly this name (per-thread series have their own names). */
    private static long sum(List<StatsdLine> lines, String name) {
        return (long) lines.stream().filter(l -> l.name().equals(name) && l.type().equals("c"))
                .mapToDouble(StatsdLine::value).sum();
    }

    private static Set<String> expectedPoints() {
        Set<String> points = new HashSet<>();
        for (int i = 0; i < N; i++) {
            points.add(Envelopes.name(i) + " " + Envelopes.timestamp(i) + " " + Envelopes.value(i) + " "
                    + Envelopes.host(i) + " " + Envelopes.tenant(i) + " RegionOne " + (i % 22 + 1) + " monitoring");
        }
        return points;
    }

    private static Set<String> storedPoints(InfluxServer influx) {
        JsonNode result = influx.query("mon",
                "SELECT \"value\", \"hostname\", \"_tenant_id\", \"_region\", \"process\", \"service\" FROM /^metric_/");
        Set<String> points = new HashSet<>();
        for (JsonNode series : result.path("series")) {
            for (JsonNode row : series.path("values")) {
                points.add(series.path("name").asText() + " " + row.path(0).asLong() + " " + row.path(1).asDouble()
                        + " " + row.path(2).asText() + " " + row.path(3).asText() + " " + row.path(4).asText()
                        + " " + row.path(5).asText() + " " + row.path(6).asText());
            }
        }
        return points;
    }
}
