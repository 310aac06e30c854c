package io.monasca.testkit.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP proxy on 127.0.0.1 in front of one real server (InfluxDB, a Monasca API), whose behaviour is switched
 * at run time with {@link #set(Fault)}: pass requests through, answer a status of its own without forwarding,
 * answer late, accept and never answer, answer the headers and part of a body and then nothing, or refuse
 * connections (the port is closed, and bound again on the next switch). The port stays the same throughout.
 *
 * <p>It counts requests, the requests it faulted, and the body lines of requests the server answered with 2xx
 * ({@link #linesAnsweredOk()}: for InfluxDB's {@code POST /write}, the points it accepted, duplicates included).
 */
public final class FaultProxy implements AutoCloseable {

    /** Headers the JDK client sets itself (or refuses), and hop-by-hop headers. */
    private static final Set<String> NOT_COPIED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");

    private final URI upstream;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong faulted = new AtomicLong();
    private final AtomicLong linesOk = new AtomicLong();
    private volatile Fault fault = Fault.passThrough();
    private HttpServer server;
    private ExecutorService executor;

    private FaultProxy(URI upstream) {
        this.upstream = upstream;
        this.server = bind(0);
        this.port = server.getAddress().getPort();
    }

    /** A proxy to {@code upstream} ({@code http://host:port}, without path), passing requests through. */
    public static FaultProxy to(String upstream) {
        String base = upstream.endsWith("/") ? upstream.substring(0, upstream.length() - 1) : upstream;
        return new FaultProxy(URI.create(base));
    }

    /** What the proxy does with the next requests. */
    public record Fault(Kind kind, int status, String body, Duration delay) {

        public enum Kind { PASS, ANSWER, DELAY, HANG, STALL_BODY, REFUSE }

        /** Forwards every request and returns the server's answer. */
        public static Fault passThrough() {
            return new Fault(Kind.PASS, 0, "", Duration.ZERO);
        }

        /** Answers {@code status} with {@code body} (JSON when it starts with '{' or '['), forwarding nothing. */
        public static Fault answer(int status, String body) {
            return new Fault(Kind.ANSWER, status, body, Duration.ZERO);
        }

        /** Forwards the request at once and returns the server's answer {@code delay} later. */
        public static Fault delay(Duration delay) {
            return new Fault(Kind.DELAY, 0, "", delay);
        }

        /** Reads the request and never answers it, not even after the next switch, until the proxy closes. */
        public static Fault hang() {
            return new Fault(Kind.HANG, 0, "", Duration.ZERO);
        }

        /** Answers 200 with headers announcing a body of 1000 bytes, sends ten of them and then nothing. */
        public static Fault stallBody() {
            return new Fault(Kind.STALL_BODY, 200, "", Duration.ZERO);
        }

        /** Closes the port: connections are refused until the next switch binds it again. */
        public static Fault refuse() {
            return new Fault(Kind.REFUSE, 0, "", Duration.ZERO);
        }

        @Override
        public String toString() {
            return switch (kind) {
                case PASS -> "pass-through";
                case ANSWER -> "answer " + status;
                case DELAY -> "delay " + delay.toMillis() + " ms";
                default -> kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
            };
        }
    }

    /** Switches the behaviour for the requests that arrive from now on. */
    public synchronized void set(Fault next) {
        if (next.kind() == Fault.Kind.REFUSE && server != null) {
            stopServer();
        } else if (next.kind() != Fault.Kind.REFUSE && server == null) {
            server = bind(port);
        }
        fault = next;
    }

    /** Base URL of the proxy, {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Requests received (refused connections are not requests). */
    public long requests() {
        return requests.get();
    }

    /** Requests answered by a fault rather than by the server. */
    public long faulted() {
        return faulted.get();
    }

    /** Lines of the bodies of the requests the server answered with a 2xx status. */
    public long linesAnsweredOk() {
        return linesOk.get();
    }

    private HttpServer bind(int onPort) {
        try {
            HttpServer created = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 50);
            created.createContext("/", this::handle);
            executor = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "fault-proxy-" + onPort);
                thread.setDaemon(true);
                return thread;
            });
            created.setExecutor(executor);
            created.start();
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("fault proxy: cannot bind 127.0.0.1:" + onPort, e);
        }
    }

    private void stopServer() {
        server.stop(0);
        executor.shutdownNow(); // also ends hanging and stalled exchanges
        server = null;
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        Fault current = fault;
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        try {
            switch (current.kind()) {
                case PASS -> forward(exchange, body, Duration.ZERO);
                case DELAY -> forward(exchange, body, current.delay());
                case ANSWER -> {
                    faulted.incrementAndGet();
                    respond(exchange, current.status(), current.body().getBytes(StandardCharsets.UTF_8),
                            current.body().startsWith("{") || current.body().startsWith("[")
                                    ? "application/json" : "text/plain");
                }
                case HANG -> {
                    faulted.incrementAndGet();
                    Thread.sleep(Long.MAX_VALUE);
                }
                case STALL_BODY -> {
                    faulted.incrementAndGet();
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, 1000);
                    OutputStream out = exchange.getResponseBody();
                    out.write("{\"element".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(Long.MAX_VALUE);
                }
                case REFUSE -> exchange.close(); // a connection accepted just before the port closed
                default -> throw new IllegalStateException(current.toString());
            }
        } catch (InterruptedException e) {
            // The proxy closes or refuses: drop the connection.
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private void forward(HttpExchange exchange, byte[] body, Duration delay) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
                .timeout(Duration.ofSeconds(60))
                .method(exchange.getRequestMethod(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            if (!NOT_COPIED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                header.getValue().forEach(value -> request.header(header.getKey(), value));
            }
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            // The server is down: the client sees what a gateway would say.
            respond(exchange, 502, ("fault proxy: upstream unreachable: " + e).getBytes(StandardCharsets.UTF_8),
                    "text/plain");
            return;
        }
        if (response.statusCode() / 100 == 2) {
            linesOk.addAndGet(lines(body));
        }
        if (!delay.isZero()) {
            faulted.incrementAndGet();
            Thread.sleep(delay.toMillis());
        }
        response.headers().map().forEach((name, values) -> {
            if (!NOT_COPIED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        respond(exchange, response.statusCode(), response.body(), null);
    }

    /** Non-empty lines of a body. */
    private static long lines(byte[] body) {
        return new String(body, StandardCharsets.UTF_8).lines().filter(line -> !line.isEmpty()).count();
    }

    private static void respond(HttpExchange exchange, int status, byte[] body, String contentType) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        boolean empty = body.length == 0 || status == 204 || status == 304;
        exchange.sendResponseHeaders(status, empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            stopServer();
        }
    }
}
