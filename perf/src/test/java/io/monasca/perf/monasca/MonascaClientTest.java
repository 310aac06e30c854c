package io.monasca.perf.monasca;

import io.monasca.perf.monasca.MonascaClient.Combine;
import io.monasca.perf.monasca.MonascaClient.Element;
import io.monasca.perf.source.MonascaSource;
import io.monasca.perf.source.Reading;
import io.monasca.perf.source.Timing;
import io.monasca.perf.standin.StandInMonascaApi;
import io.monasca.perf.support.StoredStandIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Monasca client and the monasca source against the stand-in Keystone + Monasca API over real HTTP. */
class MonascaClientTest {
    private static final Map<String, String> PERSISTER = Map.of("service", "monitoring", "component", "monasca-persister");
    private StoredStandIn store;
    private StandInMonascaApi api;
    private final Instant start = Instant.parse("2026-01-01T00:00:00Z");

    @BeforeEach
    void start() throws Exception {
        store = StoredStandIn.start();
        api = store.api()
                .user("reader", "secret", "monitoring", true)
                .user("nobody", "secret", "monitoring", false);
        for (int i = 0; i < 30; i++) {
            long t = start.toEpochMilli() + 1000L * i;
            for (String host : List.of("h1", "h2")) {
                Map<String, String> dims = new java.util.LinkedHashMap<>(PERSISTER);
                dims.put("hostname", host);
                store.add("monasca.persister.upsert.received", dims, t, 100);
                store.add("monasca.persister.flush.items", dims, t, 90);
                store.add("monasca.persister.flush.completed", dims, t, 2);
                store.add("monasca.persister.flush.time.avg", dims, t, host.equals("h1") ? 10 : 20);
                store.add("monasca.persister.flush.time.min", dims, t, 1 + i);
                store.add("monasca.persister.flush.time.max", dims, t, 50 + i);
            }
        }
        api.pageLimit(7);  // small pages: the answers below need several
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private MonascaCredentials credentials(String user, String password, URI monascaUrl) {
        return new MonascaCredentials(api.keystoneUrl(), user, password, "monitoring", "Default", "Default", "RegionOne",
                monascaUrl, Duration.ofSeconds(3));
    }

    @Test
    void authenticatesAndFindsTheEndpointInTheCatalog() throws Exception {
        MonascaClient client = new MonascaClient(credentials("reader", "secret", null));
        assertEquals(api.monascaUrl(), client.authenticate());
    }

    @Test
    void statisticsMergedAndGroupedAddUpOverPages() throws Exception {
        MonascaClient client = new MonascaClient(credentials("reader", "secret", null));
        List<Element> merged = client.statistics("monasca.persister.upsert.received", PERSISTER, start, null,
                List.of("sum", "count"), 5, Combine.MERGE);
        assertEquals(6000.0, merged.stream().mapToDouble(e -> e.sum("sum")).sum());
        List<Element> grouped = client.statistics("monasca.persister.upsert.received", PERSISTER, start, null,
                List.of("sum"), 5, Combine.GROUP_BY_ALL);
        assertEquals(6000.0, grouped.stream().mapToDouble(e -> e.sum("sum")).sum());
        assertTrue(grouped.stream().map(Element::dimensions).map(d -> d.get("hostname")).distinct().count() == 2);
        List<Element> measurements = client.measurements("monasca.persister.flush.items", Map.of("hostname", "h1"), start, null, Combine.MERGE);
        assertEquals(30, measurements.stream().mapToInt(e -> e.rows().size()).sum(), "30 rows over 5 pages of 7");
    }

    @Test
    void sourceReadsCountsAndTimes() throws Exception {
        MonascaSource source = new MonascaSource(new MonascaClient(credentials("reader", "secret", null)),
                Map.of("component", "monasca-persister"), Combine.MERGE, start);
        assertEquals(new Reading(6000, 5400), source.read());
        Timing flush = source.timing("flush");
        assertEquals(120, flush.calls());
        assertEquals(15.0, flush.avgMs(), 1e-9);
        assertEquals(1.0, flush.minMs());
        assertEquals(79.0, flush.maxMs());
    }

    @Test
    void sourceCountsPerSpanOfTimeStartInclusiveEndExclusive() throws Exception {
        MonascaSource source = new MonascaSource(new MonascaClient(credentials("reader", "secret", null)),
                Map.of("component", "monasca-persister"), Combine.MERGE, start);
        // measurements every second from start: [0 s, 10 s) holds 10 of them per host, [10 s, 10.5 s) one, [10.5 s, 30 s) 19
        List<Reading> spans = source.between(List.of(start, start.plusSeconds(10), start.plusMillis(10_500), start.plusSeconds(30)));
        assertEquals(List.of(new Reading(2000, 1800), new Reading(200, 180), new Reading(3800, 3420)), spans);
    }

    @Test
    void severalSeriesWithoutMergeOrGroupByIs409() throws Exception {
        MonascaClient client = new MonascaClient(credentials("reader", "secret", api.monascaUrl()));
        client.authenticate();
        // the client always asks with merge or group_by; ask the stand-in directly for the bare query
        var http = java.net.http.HttpClient.newHttpClient();
        MonascaCredentials c = credentials("reader", "secret", null);
        var response = http.send(java.net.http.HttpRequest.newBuilder(URI.create(api.monascaUrl()
                        + "/metrics/measurements?name=monasca.persister.flush.items&start_time=" + start))
                .header("X-Auth-Token", token(c)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(409, response.statusCode());
    }

    private String token(MonascaCredentials c) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        String body = "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"" + c.username()
                + "\",\"password\":\"" + c.password() + "\",\"domain\":{\"name\":\"Default\"}}}},\"scope\":{\"project\":{\"name\":\"monitoring\",\"domain\":{\"name\":\"Default\"}}}}}";
        var response = http.send(java.net.http.HttpRequest.newBuilder(URI.create(api.keystoneUrl() + "/auth/tokens"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        return response.headers().firstValue("X-Subject-Token").orElseThrow();
    }

    @Test
    void badPasswordIs401WithAClearMessage() {
        MonascaClient client = new MonascaClient(credentials("reader", "wrong", null));
        MonascaApiException e = assertThrows(MonascaApiException.class, client::authenticate);
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("wrong user, password or project"), e.getMessage());
    }

    @Test
    void userWithoutTheRoleIs403() {
        MonascaSource source = new MonascaSource(new MonascaClient(credentials("nobody", "secret", null)), PERSISTER, Combine.MERGE, start);
        var e = assertThrows(io.monasca.perf.source.SourceException.class, source::read);
        assertTrue(e.getMessage().contains("HTTP 403") && e.getMessage().contains("monasca-user"), e.getMessage());
    }

    @Test
    void wrongUrlIs404() throws Exception {
        MonascaClient client = new MonascaClient(credentials("reader", "secret", URI.create(api.monascaUrl() + "/nowhere")));
        MonascaApiException e = assertThrows(MonascaApiException.class,
                () -> client.statistics("x", Map.of(), start, null, List.of("sum"), 60, Combine.MERGE));
        assertEquals(404, e.status());
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void serverErrorIsNamed() throws Exception {
        MonascaClient client = new MonascaClient(credentials("reader", "secret", null));
        // an unknown statistic makes the stand-in answer 422; a bad period makes it answer 422 too
        MonascaApiException e = assertThrows(MonascaApiException.class,
                () -> client.statistics("x", Map.of(), start, null, List.of("median"), 60, Combine.MERGE));
        assertEquals(422, e.status());
        assertTrue(MonascaApiException.meaning(503).contains("server error"));
    }

    @Test
    void silentServerIsATimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread accepter = new Thread(() -> {
                try (Socket ignored = silent.accept()) {
                    Thread.sleep(10_000);
                } catch (Exception ignored) {
                    // closed by the test
                }
            });
            accepter.setDaemon(true);
            accepter.start();
            MonascaCredentials c = new MonascaCredentials(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/v3"),
                    "reader", "secret", "monitoring", null, null, null, null, Duration.ofMillis(500));
            MonascaApiException e = assertThrows(MonascaApiException.class, () -> new MonascaClient(c).authenticate());
            assertTrue(e.getMessage().contains("timeout"), e.getMessage());
        }
    }

    @Test
    void refusedConnectionIsNamed() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        MonascaCredentials c = new MonascaCredentials(URI.create("http://127.0.0.1:" + port + "/v3"),
                "reader", "secret", "monitoring", null, null, null, null, Duration.ofSeconds(2));
        MonascaApiException e = assertThrows(MonascaApiException.class, () -> new MonascaClient(c).authenticate());
        assertTrue(e.getMessage().contains("cannot connect (connection refused)"), e.getMessage());
    }

    @Test
    void unresolvableKeystoneHostIsNamed() {
        MonascaCredentials c = new MonascaCredentials(URI.create("http://keystone.invalid:5000/v3"),
                "reader", "secret", "monitoring", null, null, null, null, Duration.ofSeconds(2));
        MonascaApiException e = assertThrows(MonascaApiException.class, () -> new MonascaClient(c).authenticate());
        assertTrue(e.getMessage().contains("cannot connect (host name 'keystone.invalid' does not resolve)"), e.getMessage());
    }

    @Test
    void credentialsNeverShowThePassword() {
        MonascaCredentials c = credentials("reader", "secret-Value-42", null);
        assertTrue(c.toString().contains("username=reader") && !c.toString().contains("secret-Value-42"), c.toString());
    }
}
