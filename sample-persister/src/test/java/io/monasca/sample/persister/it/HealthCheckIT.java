package io.monasca.sample.persister.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.monasca.testkit.influx.InfluxServer;
import io.monasca.testkit.kafka.EmbeddedKafka;

/**
 * {@code GET /healthcheck} of a real persister process: 200 only while its threads run, Kafka answers and the
 * database is up; otherwise 500 and the failing check says why.
 */
class HealthCheckIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void unhealthyWhileKafkaIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("no-kafka.yml"), "kafkaConfig:\n  bootstrapServers: 127.0.0.1:"
                + closedPort + "\ndatabaseConfiguration:\n  databaseType: file\nfile:\n  path: " + dir.resolve("points.lp")
                + "\nserver:\n  adminPort: 0\n  adminHost: 127.0.0.1\n");
        try (PersisterProcess persister = PersisterProcess.start(config, dir.resolve("persister.log"), List.of())) {
            Thread.sleep(2000); // several polls, every one of them without a broker
            HttpResponse<String> health = persister.health();
            assertTrue(health.statusCode() == 500, health.body());
            assertTrue(health.body().contains("Kafka at 127.0.0.1:" + closedPort + " does not answer (metric-0: no answer yet)"),
                    health.body());
            assertTrue(health.body().contains("1 of 1 consumer threads running"), "the threads do run: " + health.body());
        }
    }

    @Test
    void unhealthyWhenTheDatabaseIsDownOrKafkaGoesAway() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        boolean kafkaStopped = false;
        try (InfluxServer influx = InfluxServer.started()) {
            influx.createDatabase("mon");
            kafka.createTopic("health", 2);
            Path config = Configs.write(dir, "health", kafka.bootstrapServers(), influx.url(), "mon", 2, 50, 1, "");
            try (PersisterProcess persister = PersisterProcess.start(config, dir.resolve("persister.log"), List.of())) {
                waitForHealth(persister, 200, "Kafka at " + kafka.bootstrapServers() + " answers");

                influx.stop(); // no message arrives meanwhile: the check itself asks InfluxDB
                waitForHealth(persister, 500, "InfluxDB unreachable at " + influx.url() + "/ping");
                influx.start();
                waitForHealth(persister, 200, "reachable, no write failing");

                kafka.close();
                kafkaStopped = true;
                waitForHealth(persister, 500, "Kafka at " + kafka.bootstrapServers() + " does not answer (metric-0: no answer for");
            }
        } finally {
            if (!kafkaStopped) {
                kafka.close();
            }
        }
    }

    private static void waitForHealth(PersisterProcess persister, int status, String part) {
        Waits.until("/healthcheck " + status + " with '" + part + "'", WAIT, () -> {
            HttpResponse<String> health = persister.health();
            return health.statusCode() == status && health.body().contains(part);
        }, () -> persister.health().body() + "\n" + persister.logTail());
    }
}
