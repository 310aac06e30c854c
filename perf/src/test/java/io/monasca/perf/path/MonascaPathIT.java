package io.monasca.perf.path;

import io.monasca.perf.source.MetricPoint;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.monasca.perf.source.Reading;
import io.monasca.perf.source.StatsdSource;
import io.monasca.perf.standin.StandInMonascaApi;
import io.monasca.perf.support.DebianPython;
import io.monasca.testkit.influx.InfluxServer;
import io.monasca.testkit.kafka.EmbeddedKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's metrics through the whole production path with real parts: monasca-statsd (Debian's reference client)
 * -> perf's daemon -> forwarder -> stand-in Monasca API -> a real Kafka broker -> the sample persister (its jar, its
 * own JVM) -> a real influxd -> the API's GETs, read back with Debian's {@code monasca} CLI (python3-monascaclient);
 * and the API's rules on a POST, checked on the wire. One broker, InfluxDB and path for the class.
 */
class MonascaPathIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path temp;
    private static EmbeddedKafka kafka;
    private static InfluxServer influx;
    private static MonascaPath path;
    private static StatsdSource statsd;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start();
        influx = InfluxServer.started();
        path = PathFixture.start(kafka.bootstrapServers(), influx, temp.resolve("path"), 1000);
        path.api().user("reader", "secret", MonascaPath.PROJECT, StandInMonascaApi.READ_ROLE)
                .user("poster", "secret", MonascaPath.PROJECT, StandInMonascaApi.AGENT_ROLE)
                .user("member", "secret", MonascaPath.PROJECT, "member");
        statsd = PathFixture.daemon(path);
    }

    @AfterAll
    static void stop() {
        if (statsd != null) statsd.close();
        if (path != null) PathFixture.close(path);
        if (influx != null) influx.close();
        if (kafka != null) kafka.close();
    }

    @Test
    void theMonascaCliReadsWhatTheAgentSentThroughThePersister() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(DebianPython.has("monascastatsd") && Files.isExecutable(Path.of("/usr/bin/monasca")),
                "Debian packages python3-monasca-statsd and python3-monascaclient are not installed");
        Instant start = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        Reading before = statsd.read();
        DebianPython.Result sent = DebianPython.run(String.join("\n",
                "import monascastatsd as m",
                "c = m.Connection(host='127.0.0.1', port=" + statsd.port() + ")",
                "for host in ('cli1', 'cli2'):",
                "    cl = m.Client(connection=c, dimensions={'service': 'monitoring', 'component': 'monasca-persister', 'hostname': host})",
                "    cl.get_counter('monasca.persister.upsert.received').increment(40)",
                "    cl.get_counter('monasca.persister.upsert.received').increment(2)"), 30);
        assertEquals(0, sent.exitCode(), sent.output());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (statsd.read().minus(before).received() < 84 && System.nanoTime() < deadline) Thread.sleep(50);
        assertEquals(84, statsd.read().minus(before).received());
        PathFixture.drain(path);

        String name = "monasca.persister.upsert.received";
        String list = monasca("metric-list", "--name", name, "--dimensions", "hostname=cli1");
        assertTrue(list.contains(name) && list.contains("cli1") && !list.contains("cli2"), list);
        String measurements = monasca("measurement-list", name, start.toString(), "--dimensions", "hostname=cli1");
        assertEquals(42.0, sumOfColumn(measurements, "value"), measurements);
        String statistics = monasca("metric-statistics", name, "sum", start.toString(), "--period", "3600",
                "--dimensions", "component=monasca-persister", "--merge_metrics");
        assertEquals(84.0, sumOfColumn(statistics, "sum"), statistics);
        String conflict = monascaFails("measurement-list", name, start.toString(), "--dimensions", "component=monasca-persister");
        assertTrue(conflict.contains("409") || conflict.contains("MultipleMetrics"), conflict);
    }

    @Test
    void postAnswersAsMonascaApi() throws Exception {
        String token = token("poster");
        long now = System.currentTimeMillis();
        String good = "[{\"name\":\"path.test.ok\",\"dimensions\":{\"hostname\":\"h\"},\"value\":1,\"timestamp\":" + now + ",\"value_meta\":null}]";
        assertEquals(204, post(token, "application/json", good).statusCode());
        assertEquals(400, post(token, "text/plain", good).statusCode(), "wrong Content-Type");
        assertEquals(400, post(token, "application/json", "[{").statusCode(), "not JSON");
        assertEquals(401, post("no-such-token", "application/json", good).statusCode());
        assertEquals(401, post(token("member"), "application/json", good).statusCode(), "no monasca-agent or monasca-user role");
        long written = path.api().written();
        for (String bad : List.of(
                "{\"name\":\"bad{name\",\"dimensions\":{},\"value\":1,\"timestamp\":" + now + "}",
                "{\"name\":\"n\",\"dimensions\":{\"k\":\"" + "v".repeat(256) + "\"},\"value\":1,\"timestamp\":" + now + "}",
                "{\"name\":\"n\",\"dimensions\":{\"_k\":\"v\"},\"value\":1,\"timestamp\":" + now + "}",
                "{\"name\":\"n\",\"dimensions\":{},\"value\":NaN,\"timestamp\":" + now + "}",
                "{\"name\":\"n\",\"dimensions\":{},\"value\":1}",
                "{\"name\":\"n\",\"value\":1,\"timestamp\":" + now + ",\"value_meta\":{\"k\":\"" + "x".repeat(2100) + "\"}}")) {
            HttpResponse<String> answer = post(token, "application/json", "[" + good.substring(1, good.length() - 1) + "," + bad + "]");
            assertEquals(422, answer.statusCode(), bad + ": " + answer.body());
            assertTrue(JSON.readTree(answer.body()).path("description").asText().length() > 10, answer.body());
        }
        assertEquals(written, path.api().written(), "a 422 writes nothing, not even the batch's good metrics");
    }

    @Test
    void aMetricTheApiRejectsIsNamedInTheLogAndCountedOnce() throws Exception {
        ObjectNode before = path.summary("test");
        double now = System.currentTimeMillis();
        MetricPoint good = new MetricPoint("path.test.good", Map.of("hostname", "h"), 1, now);
        MetricPoint bad = new MetricPoint("path.test.bad name", Map.of("hostname", "h"), 1, now);
        path.intake(List.of(good, bad, good));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (path.forwarder().rejected() == before.path("rejected").asLong() && System.nanoTime() < deadline) Thread.sleep(50);
        path.intake(List.of(new MetricPoint("path.test.after", Map.of("hostname", "h"), 2, now)));
        PathFixture.drain(path); // the refused batch stays queued (monasca-agent's way), refused again, counted once
        ObjectNode after = path.summary("test");
        assertEquals(3, after.path("rejected").asLong() - before.path("rejected").asLong(), "the whole batch, as monasca-api refuses it");
        assertTrue(after.path("rejections").toString().contains("path.test.bad name"), after.toString());
        assertTrue(after.path("rejections").toString().contains("422"), after.toString());
        String log = Files.readString(temp.resolve("path").resolve("monasca-path.log"));
        assertTrue(log.contains("path.test.bad name") && log.contains("HTTP 422"), log);
        assertEquals(after.path("posted").asLong(), after.path("stored").asLong(), "what the API took is stored: " + after);
        assertTrue(!path.problems(after).isEmpty(), "a rejection is a problem of the run");
    }

    private String token(String user) throws Exception {
        String body = "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"" + user
                + "\",\"password\":\"secret\",\"domain\":{\"name\":\"Default\"}}}},\"scope\":{\"project\":{\"name\":\""
                + MonascaPath.PROJECT + "\",\"domain\":{\"name\":\"Default\"}}}}}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(path.api().keystoneUrl() + "/auth/tokens"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.headers().firstValue("X-Subject-Token").orElseThrow();
    }

    private HttpResponse<String> post(String token, String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(path.api().monascaUrl() + "/metrics"))
                .header("Content-Type", contentType).header("X-Auth-Token", token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String monasca(String... args) throws Exception {
        CliResult r = runCli(args);
        assertEquals(0, r.code, String.join(" ", args) + ": " + r.output);
        return r.output;
    }

    private String monascaFails(String... args) throws Exception {
        CliResult r = runCli(args);
        assertTrue(r.code != 0, String.join(" ", args) + " should fail: " + r.output);
        return r.output;
    }

    private record CliResult(int code, String output) {
    }

    private CliResult runCli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/monasca", "--os-auth-url", path.api().keystoneUrl().toString(),
                "--os-username", "reader", "--os-project-name", MonascaPath.PROJECT, "--os-user-domain-name", "Default",
                "--os-project-domain-name", "Default", "--os-region-name", MonascaPath.REGION));
        command.addAll(List.of(args));
        command.add("-j");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("OS_PASSWORD", "secret");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new CliResult(p.waitFor(), output);
    }

    /** The {@code --json} output: a list of elements with columns and rows; sums one column over every row. */
    private static double sumOfColumn(String output, String column) throws IOException {
        JsonNode elements = JSON.readTree(output.substring(output.indexOf('[')));
        double sum = 0;
        for (JsonNode e : elements) {
            int index = -1;
            for (int i = 0; i < e.path("columns").size(); i++) if (e.path("columns").get(i).asText().equals(column)) index = i;
            JsonNode rows = e.has("measurements") ? e.path("measurements") : e.path("statistics");
            for (JsonNode row : rows) sum += row.path(index).asDouble();
        }
        return sum;
    }
}
