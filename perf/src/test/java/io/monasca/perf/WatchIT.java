package io.monasca.perf;

import io.monasca.perf.load.EnvelopeFactory;
import io.monasca.perf.load.LoadGenerator;
import io.monasca.perf.run.PersisterProcess;
import io.monasca.testkit.kafka.EmbeddedKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code perf watch} against a persister it did not start (the sample persister's jar with the agent, on a real
 * Kafka broker): once through the admin API, once through the agent's statsd metrics.
 */
class WatchIT {
    @TempDir
    Path temp;

    @Test
    void watchesARunningPersisterThroughAdminAndStatsd() throws Exception {
        int adminPort = freeTcpPort();
        int statsdPort;
        try (DatagramSocket s = new DatagramSocket(0)) {
            statsdPort = s.getLocalPort();
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("metrics", 2);
            Path config = Files.writeString(temp.resolve("persister-config.yml"), String.join("\n",
                    "metricConfiguration: {topic: metrics, groupId: 1_metrics, numThreads: 2, batchSize: 1000, maxBatchTime: 1}",
                    "kafkaConfig: {bootstrapServers: '" + kafka.bootstrapServers() + "', autoOffsetReset: earliest}",
                    "databaseConfiguration: {databaseType: file}",
                    "file: {path: '" + temp.resolve("points.lp") + "'}",
                    "server: {adminPort: " + adminPort + ", adminHost: 127.0.0.1}", ""));
            Path jar = Path.of(System.getProperty("sample-persister.jar"));
            String agent = "-javaagent:" + System.getProperty("agent.jar") + "=config=" + jar.getParent().resolveSibling("agent.properties")
                    + ",statsd.host=127.0.0.1,statsd.port=" + statsdPort + ",interval=500ms";
            try (PersisterProcess persister = PersisterProcess.start(PersisterProcess.command(jar, config, agent, List.of("-Xmx256m")),
                    temp.resolve("persister.log"))) {
                // statsd: the watch listens on the port the agent sends to
                CompletableFuture<PerfCliTest.Outcome> statsdWatch = CompletableFuture.supplyAsync(() -> PerfCliTest.perf("watch",
                        "--source", "statsd", "--statsd-port", Integer.toString(statsdPort), "-n", "4000", "-w", "300ms",
                        "--timeout", "90s", "-o", temp.resolve("statsd").toString()));
                Thread.sleep(1500);
                produce(kafka, 4000, 1);
                PerfCliTest.Outcome statsd = statsdWatch.get(120, TimeUnit.SECONDS);
                assertEquals(0, statsd.code(), statsd.out() + statsd.err());
                assertOutputFile(temp.resolve("statsd"), statsd);
                assertTrue(statsd.out().contains("Percentiles per agent interval") && statsd.out().contains("upsert: p50 "),
                        statsd.out());

                // admin: counted from the first reading, as persister_perf.sh did
                CompletableFuture<PerfCliTest.Outcome> adminWatch = CompletableFuture.supplyAsync(() -> PerfCliTest.perf("watch",
                        "-s", "127.0.0.1", "-p", Integer.toString(adminPort), "-n", "3000", "-w", "300ms", "--timeout", "90s",
                        "-o", temp.resolve("admin").toString()));
                Thread.sleep(1000);
                produce(kafka, 3000, 2);
                PerfCliTest.Outcome admin = adminWatch.get(120, TimeUnit.SECONDS);
                assertEquals(0, admin.code(), admin.out() + admin.err());
                assertTrue(admin.out().contains("start counts received 4,000, persisted 4,000"), admin.out());
                assertOutputFile(temp.resolve("admin"), admin);
                assertTrue(persister.stop(Duration.ofSeconds(15)) >= 0);
            }
        }
    }

    private static void produce(EmbeddedKafka kafka, int messages, long seed) throws Exception {
        new LoadGenerator(kafka.bootstrapServers(), "metrics", 2, messages, 2, 0,
                new EnvelopeFactory(System.currentTimeMillis() - 3_600_000 * seed, "RegionOne"), seed).run();
    }

    private static void assertOutputFile(Path base, PerfCliTest.Outcome outcome) throws Exception {
        Path folder;
        try (Stream<Path> found = Files.list(base)) {
            folder = found.filter(p -> p.getFileName().toString().startsWith("persister_perf_")).findFirst().orElseThrow();
        }
        List<String> lines = Files.readAllLines(folder.resolve("persister_perf_output.txt"));
        assertTrue(lines.stream().anyMatch(l -> l.matches("Average received metrics/second: \\d+")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("Average persisted metrics/second: \\d+")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("(reached)")), lines.toString());
    }

    private static int freeTcpPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
