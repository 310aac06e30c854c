package io.monasca.sample.persister.admin;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.SortedMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.codahale.metrics.json.HealthCheckModule;
import com.codahale.metrics.json.MetricsModule;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The admin API of a Dropwizard service, as the Java persister has it: {@code GET /metrics} (the registry
 * in the Dropwizard metrics-json shape, rates per second, durations in seconds) and {@code GET /healthcheck}.
 */
public final class AdminServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final MetricRegistry metrics;
    private final HealthCheckRegistry healthChecks;
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new MetricsModule(TimeUnit.SECONDS, TimeUnit.SECONDS, false))
            .registerModule(new HealthCheckModule());

    public AdminServer(String host, int port, MetricRegistry metrics, HealthCheckRegistry healthChecks)
            throws IOException {
        this.metrics = metrics;
        this.healthChecks = healthChecks;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 16);
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "admin-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> respond(exchange, 200, json.writeValueAsBytes(metrics)));
        server.createContext("/healthcheck", this::healthcheck);
        server.start();
    }

    private void healthcheck(HttpExchange exchange) throws IOException {
        SortedMap<String, HealthCheck.Result> results = healthChecks.runHealthChecks();
        boolean healthy = results.values().stream().allMatch(HealthCheck.Result::isHealthy);
        respond(exchange, healthy ? 200 : 500, json.writeValueAsBytes(results));
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Cache-Control", "must-revalidate,no-cache,no-store");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * Why the admin API could not listen, naming the keys to change and the real cause: a host name that does not
     * resolve, an address that is not this machine's, or the port in use.
     */
    public static String bindFailure(String host, int port, IOException e) {
        String where = "server.adminHost " + host + ", server.adminPort " + port + ": ";
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException unknown) {
            return where + "host name '" + host + "' does not resolve";
        }
        if (!isLocal(address)) {
            return where + address.getHostAddress() + " is not an address of this machine";
        }
        if (e instanceof BindException && String.valueOf(e.getMessage()).contains("in use")) {
            return where + "the port is already in use";
        }
        return where + e.getMessage();
    }

    private static boolean isLocal(InetAddress address) {
        try {
            return address.isAnyLocalAddress() || address.isLoopbackAddress()
                    || NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return true; // cannot tell: the bind's own message is given
        }
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
