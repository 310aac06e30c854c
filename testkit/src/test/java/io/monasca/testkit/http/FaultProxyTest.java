package io.monasca.testkit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** The proxy in front of a small real HTTP server that answers 204 to a write and echoes a header on a query. */
class FaultProxyTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private HttpServer upstream;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/write", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        upstream.createContext("/query", exchange -> {
            byte[] body = ("{\"auth\":\"" + exchange.getRequestHeaders().getFirst("Authorization") + "\",\"query\":\""
                    + exchange.getRequestURI().getRawQuery() + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("X-Upstream", "yes");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        upstream.start();
        proxy = FaultProxy.to("http://127.0.0.1:" + upstream.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        proxy.close();
        upstream.stop(0);
    }

    private HttpResponse<String> get(String path, Duration timeout) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(proxy.url() + path)).timeout(timeout)
                .header("Authorization", "Basic abc").build(), HttpResponse.BodyHandlers.ofString());
    }

    private int write(String lines) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(proxy.url() + "/write?db=mon"))
                .POST(HttpRequest.BodyPublishers.ofString(lines)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void passesRequestsThroughWithHeadersQueryAndBody() throws Exception {
        HttpResponse<String> response = get("/query?db=mon&q=SELECT%201", Duration.ofSeconds(5));
        assertEquals(200, response.statusCode());
        assertEquals("{\"auth\":\"Basic abc\",\"query\":\"db=mon&q=SELECT%201\"}", response.body());
        assertEquals("yes", response.headers().firstValue("X-Upstream").orElse(null));
        assertEquals(204, write("a value=1 1\nb value=2 2\n"));
        assertEquals(204, write("c value=3 3"));
        assertEquals(3, proxy.linesAnsweredOk());
        assertEquals(0, proxy.faulted());
        assertEquals(3, proxy.requests());
    }

    @Test
    void answersAStatusOfItsOwnWithoutForwarding() throws Exception {
        proxy.set(FaultProxy.Fault.answer(503, "{\"error\":\"overloaded\"}"));
        assertEquals(503, write("a value=1 1"));
        HttpResponse<String> response = get("/query", Duration.ofSeconds(5));
        assertEquals(503, response.statusCode());
        assertEquals("{\"error\":\"overloaded\"}", response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(null));
        assertEquals(0, proxy.linesAnsweredOk(), "nothing reached the server");
        assertEquals(2, proxy.faulted());
    }

    @Test
    void answersLateAfterForwarding() throws Exception {
        proxy.set(FaultProxy.Fault.delay(Duration.ofMillis(700)));
        long start = System.nanoTime();
        assertEquals(204, write("a value=1 1"));
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(700).toNanos());
        assertEquals(1, proxy.linesAnsweredOk(), "the server had the write before the late answer");
    }

    @Test
    void hangsUntilTheClientGivesUp() {
        proxy.set(FaultProxy.Fault.hang());
        assertThrows(HttpTimeoutException.class, () -> get("/query", Duration.ofMillis(500)));
        assertEquals(1, proxy.faulted());
    }

    @Test
    void stallsInTheMiddleOfABody() throws Exception {
        proxy.set(FaultProxy.Fault.stallBody());
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.getOutputStream().write("GET /query HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(1000);
            InputStream in = socket.getInputStream();
            StringBuilder received = new StringBuilder();
            assertThrows(SocketTimeoutException.class, () -> {
                int c;
                while ((c = in.read()) >= 0) {
                    received.append((char) c);
                }
            });
            assertTrue(received.toString().startsWith("HTTP/1.1 200"), received.toString());
            assertTrue(received.toString().toLowerCase().contains("content-length: 1000"), received.toString());
            assertTrue(received.toString().endsWith("\r\n\r\n{\"element"), received.toString());
        }
    }

    @Test
    void refusesConnectionsThenServesOnTheSamePortAgain() throws Exception {
        int port = proxy.port();
        proxy.set(FaultProxy.Fault.refuse());
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
        proxy.set(FaultProxy.Fault.passThrough());
        assertEquals(port, proxy.port());
        assertEquals(204, write("a value=1 1"));
    }

    @Test
    void aDownServerIsABadGateway() throws Exception {
        upstream.stop(0);
        assertEquals(502, write("a value=1 1"));
    }
}
