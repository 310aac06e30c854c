package io.monasca.sample.persister.it;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.InfluxDBContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The same chain against Kafka and InfluxDB 1.x container images, where a Docker engine exists; skipped
 * without one. The tests without Docker (EndToEndWithAgentIT, ResilienceIT) remain the proof.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainersIT {

    private static final int N = 300;

    @Container
    private static final KafkaContainer KAFKA = new KafkaContainer(DockerImageName.parse("apache/kafka:4.1.2"));

    @Container
    private static final InfluxDBContainer<?> INFLUX =
            new InfluxDBContainer<>(DockerImageName.parse("influxdb:1.8")).withAuthEnabled(false).withDatabase("mon");

    @TempDir
    Path dir;

    @Test
    void everyMessageReachesInfluxDb() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("metrics", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Path config = Configs.write(dir, "metrics", KAFKA.getBootstrapServers(), INFLUX.getUrl(), "mon", 2, 50, 1, "");
        try (PersisterProcess persister = PersisterProcess.start(config, dir.resolve("persister.log"), List.of())) {
            Envelopes.send(KAFKA.getBootstrapServers(), "metrics", Envelopes.envelopes(0, N));
            Waits.until(N + " points in InfluxDB", Duration.ofSeconds(60), () -> count() == N, persister::logTail);
        }
    }

    private static long count() {
        try {
            String query = URLEncoder.encode("SELECT count(\"value\") FROM /.*/", StandardCharsets.UTF_8);
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(INFLUX.getUrl() + "/query?db=mon&q=" + query)).build(),
                    HttpResponse.BodyHandlers.ofString());
            long total = 0;
            JsonNode result = new ObjectMapper().readTree(response.body()).path("results").path(0);
            for (JsonNode series : result.path("series")) {
                total += series.path("values").path(0).path(1).asLong();
            }
            return total;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
