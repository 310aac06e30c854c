package io.monasca.sample.persister.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntUnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.codahale.metrics.MetricRegistry;
import com.sun.net.httpserver.HttpServer;

import io.monasca.testkit.http.FaultProxy;

/** How the repository answers each kind of HTTP refusal, against a stub server. */
class InfluxDbRepositoryTest {

    private HttpServer server;
    /** Lines per request received. */
    private final List<Integer> requests = Collections.synchronizedList(new ArrayList<>());

    /** Starts a stub answering with the status {@code status} gives for the number of lines of a request. */
    private InfluxDbRepository stub(IntUnaryOperator status, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/write", exchange -> {
            String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int lines = (int) text.lines().count();
            requests.add(lines);
            int code = status.applyAsInt(lines);
            byte[] answer = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, code == 204 ? -1 : answer.length);
            if (code != 204) {
                exchange.getResponseBody().write(answer);
            }
            exchange.close();
        });
        server.start();
        return new InfluxDbRepository("http://127.0.0.1:" + server.getAddress().getPort(), "mon", "", "", "",
                registry);
    }

    private final MetricRegistry registry = new MetricRegistry();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static List<Point> points(int n) {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            points.add(new Point("m", Tags.of("i", Integer.toString(i)), i, null, 1700000000000L + i));
        }
        return points;
    }

    private long rejected() {
        return registry.counter(InfluxDbRepository.REJECTED_COUNTER).getCount();
    }

    @Test
    void aBatchTooLargeIsWrittenInHalves() throws Exception {
        InfluxDbRepository repository = stub(lines -> lines > 3 ? 413 : 204, "{\"error\":\"Request Entity Too Large\"}");
        assertEquals(10, repository.write(points(10)));
        assertEquals(10, requests.stream().filter(n -> n <= 3).mapToInt(Integer::intValue).sum(),
                "every point written once in a part small enough: " + requests);
        assertEquals(0, rejected());
    }

    @Test
    void aSinglePointTooLargeIsRejected() throws Exception {
        InfluxDbRepository repository = stub(lines -> 413, "{\"error\":\"Request Entity Too Large\"}");
        assertEquals(0, repository.write(points(4)));
        assertEquals(4, rejected());
        assertEquals(7, requests.size(), "4, 2, 1, 1, 2, 1, 1: " + requests);
    }

    @Test
    void aPartialWriteCountsTheDroppedPoints() throws Exception {
        InfluxDbRepository repository = stub(lines -> 400,
                "{\"error\":\"partial write: invalid tag key time dropped=2\"}");
        assertEquals(3, repository.write(points(5)));
        assertEquals(2, rejected());
        assertEquals(1, requests.size(), "not retried");
    }

    @Test
    void otherClientErrorsRejectTheBatch() throws Exception {
        InfluxDbRepository repository = stub(lines -> 400, "{\"error\":\"unable to parse 'x': bad\"}");
        assertEquals(0, repository.write(points(3)));
        assertEquals(3, rejected());
        server.stop(0);
        InfluxDbRepository unprocessable = stub(lines -> 422, "no");
        assertEquals(0, unprocessable.write(points(2)));
        assertEquals(5, rejected());
    }

    @Test
    void serverErrorsAndErrorsNoBatchCuresAreThrownForARetry() throws Exception {
        for (int status : new int[] {500, 503, 401, 403, 404, 429}) {
            InfluxDbRepository repository = stub(lines -> status, "{\"error\":\"e\"}");
            RepositoryException e = assertThrows(RepositoryException.class, () -> repository.write(points(2)));
            assertTrue(e.getMessage().contains("HTTP " + status), e.getMessage());
            server.stop(0);
        }
        assertEquals(0, rejected());
    }

    @Test
    void aServerThatStallsInTheMiddleOfAnAnswerIsATimeoutNotAHang() {
        try (FaultProxy proxy = FaultProxy.to("http://127.0.0.1:9")) {
            proxy.set(FaultProxy.Fault.stallBody()); // headers and ten bytes of the body, then nothing
            InfluxDbRepository repository = new InfluxDbRepository(proxy.url(), "mon", "", "", "", registry,
                    Duration.ofSeconds(1));
            RepositoryException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(RepositoryException.class, () -> repository.write(points(3))));
            assertTrue(e.getMessage().contains("no complete answer within 1000 ms"), e.getMessage());
            assertEquals(1, proxy.faulted());
        }
    }

    @Test
    void aPingThatStallsIsAFailureNotAHang() {
        try (FaultProxy proxy = FaultProxy.to("http://127.0.0.1:9")) {
            proxy.set(FaultProxy.Fault.stallBody());
            InfluxDbRepository repository = new InfluxDbRepository(proxy.url(), "mon", "", "", "", registry);
            RepositoryException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(RepositoryException.class, repository::check));
            assertTrue(e.getMessage().contains("InfluxDB unreachable at " + proxy.url() + "/ping")
                    && e.getMessage().contains("no complete answer within 2000 ms"), e.getMessage());
        }
    }

    @Test
    void aServerThatNeverAnswersIsATimeout() {
        try (FaultProxy proxy = FaultProxy.to("http://127.0.0.1:9")) {
            proxy.set(FaultProxy.Fault.hang());
            InfluxDbRepository repository = new InfluxDbRepository(proxy.url(), "mon", "", "", "", registry,
                    Duration.ofSeconds(1));
            RepositoryException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(RepositoryException.class, () -> repository.write(points(3))));
            assertTrue(e.getMessage().contains("no complete answer within 1000 ms"), e.getMessage());
        }
    }

    @Test
    void credentialsWrittenIntoTheUrlAreNotDescribed() {
        InfluxDbRepository repository = new InfluxDbRepository("http://mon:Url-s3cret@127.0.0.1:8086/", "mon", "", "",
                "", registry);
        assertEquals("InfluxDB http://127.0.0.1:8086 database mon", repository.describe());
    }
}
