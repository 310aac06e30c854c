package io.monasca.sample.persister.admin;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
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
