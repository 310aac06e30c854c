package io.monasca.perf.source;

import com.sun.net.httpserver.HttpServer;
import io.monasca.testkit.http.FaultProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin source's reading rules against small HTTP servers answering Dropwizard metrics-json (the real
 * sample persister's admin API is read in PerfRunIT and WatchIT).
 */
class AdminSourceTest {
    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    private int serve(String body, int status) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return server.getAddress().getPort();
    }

    private static String metrics(long received1, long received2, long flushed) {
        String p = "monasca.persister.pipeline.event.";
        return "{\"version\":\"3.0.0\",\"gauges\":{},\"counters\":{},\"histograms\":{},\"timers\":{},\"meters\":{"
                + "\"" + p + "MetricHandler[metric-0].events-processed-meter\":{\"count\":" + received1 + ",\"m1_rate\":0,\"units\":\"events/second\"},"
                + "\"" + p + "MetricHandler[metric-1].events-processed-meter\":{\"count\":" + received2 + ",\"m1_rate\":0,\"units\":\"events/second\"},"
                + "\"" + p + "MetricHandler[metric-0].flush-meter\":{\"count\":" + flushed + ",\"units\":\"events/second\"},"
                + "\"" + p + "AlarmStateTransitionHandler[alarm-state-transition-0].events-processed-meter\":{\"count\":999},"
                + "\"" + p + "MetricHandler[metric-0].metrics-added-to-batch-counter\":{\"count\":777}"
                + "}}";
    }

    @Test
    void sumsTheJavaPersistersMetersOverHosts() throws Exception {
        int port = serve(metrics(10, 5, 12), 200);
        // the same server twice under two names stands for two hosts, as -s host1,host2 does
        AdminSource source = new AdminSource(List.of("127.0.0.1", "localhost"), port, Duration.ofSeconds(2));
        assertEquals(new Reading(30, 24), source.read());
    }

    @Test
    void unreachableHostIsNamed() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        AdminSource source = new AdminSource(List.of("127.0.0.1"), port, Duration.ofSeconds(2));
        SourceException e = assertThrows(SourceException.class, source::read);
        assertTrue(e.getMessage().contains("cannot reach http://127.0.0.1:" + port + "/metrics"), e.getMessage());
    }

    @Test
    void anUnresolvableHostIsNotCalledARefusedConnection() {
        // .invalid never resolves (RFC 2606); the JDK's HttpClient reports it as a ConnectException without a message
        AdminSource source = new AdminSource(List.of("no.such.host.invalid"), 8091, Duration.ofSeconds(2));
        SourceException e = assertThrows(SourceException.class, source::read);
        assertTrue(e.getMessage().contains("cannot reach http://no.such.host.invalid:8091/metrics (host name "
                + "'no.such.host.invalid' does not resolve)"), e.getMessage());
        assertTrue(!e.getMessage().contains("refused"), e.getMessage());
    }

    @Test
    void notAMetricsEndpointIsSaid() throws Exception {
        int port = serve("{\"hello\":1}", 200);
        SourceException e = assertThrows(SourceException.class,
                () -> new AdminSource(List.of("127.0.0.1"), port, Duration.ofSeconds(2)).read());
        assertTrue(e.getMessage().contains("not a Dropwizard metrics endpoint"), e.getMessage());
        int failing = serve("oops", 500);
        e = assertThrows(SourceException.class, () -> new AdminSource(List.of("127.0.0.1"), failing, Duration.ofSeconds(2)).read());
        assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
    }

    @Test
    void aPersisterThatStallsInTheMiddleOfItsAnswerIsATimeoutNotAHang() {
        try (FaultProxy proxy = FaultProxy.to("http://127.0.0.1:9")) {
            proxy.set(FaultProxy.Fault.stallBody()); // headers and ten bytes of the body, then nothing
            AdminSource source = new AdminSource(List.of("127.0.0.1"), proxy.port(), Duration.ofSeconds(1));
            SourceException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(SourceException.class, source::read));
            assertTrue(e.getMessage().contains("did not answer within 1000 ms"), e.getMessage());
        }
    }
}
