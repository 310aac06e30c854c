package io.monasca.testkit.influx;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.monasca.testkit.process.ServerProcess;

/**
 * A real InfluxDB 1.x server: an {@code influxd} process with its own config file, data in a temporary
 * directory and both of its ports on 127.0.0.1. It can be stopped and started again on the same data
 * (to simulate a database outage); {@link #close()} stops it and deletes the data.
 */
public final class InfluxServer implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerProcess process = new ServerProcess("influxd");
    private final Path configFile;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String user;
    private final String password;
    private boolean userCreated;

    /** Prepares a server (config file, empty data directories); {@link #start()} runs it. */
    public InfluxServer() {
        this("", "");
    }

    /**
     * Prepares a server with authentication enabled ({@code [http] auth-enabled}) and one admin user, created at the
     * first start; this class's own requests ({@link #query}, {@link #count}...) authenticate as that user.
     */
    public static InfluxServer withAuthentication(String user, String password) {
        if (user.isEmpty()) {
            throw new IllegalArgumentException("an admin user name is needed");
        }
        return new InfluxServer(user, password);
    }

    private InfluxServer(String user, String password) {
        if (findInfluxd() == null) {
            throw new IllegalStateException(
                    "influxd not found: install Debian package influxdb (run-tests.sh does it when run as root)");
        }
        this.user = user;
        this.password = password;
        Path home = process.home();
        configFile = home.resolve("influxdb.conf");
        httpPort = ServerProcess.freePort();
        try {
            Files.writeString(configFile, config(home, httpPort, ServerProcess.freePort(), !user.isEmpty()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the InfluxDB directory", e);
        }
    }

    /** A new server, already started. */
    public static InfluxServer started() {
        InfluxServer server = new InfluxServer();
        server.start();
        return server;
    }

    /** True when an {@code influxd} executable is on the PATH. */
    public static boolean isInstalled() {
        return findInfluxd() != null;
    }

    private static String findInfluxd() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File candidate = new File(dir, "influxd");
            if (candidate.isFile() && candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        return null;
    }

    private static String config(Path home, int httpPort, int rpcPort, boolean authentication) {
        // Every listener on 127.0.0.1 and its own port, so several servers can run side by side;
        // everything not needed by a test (self-monitoring, subscriptions, query logs) is off.
        return String.join("\n",
                "reporting-disabled = true",
                "bind-address = \"127.0.0.1:" + rpcPort + "\"",
                "[meta]",
                "  dir = \"" + home.resolve("meta") + "\"",
                "  logging-enabled = false",
                "[data]",
                "  dir = \"" + home.resolve("data") + "\"",
                "  wal-dir = \"" + home.resolve("wal") + "\"",
                "  query-log-enabled = false",
                "[monitor]",
                "  store-enabled = false",
                "[subscriber]",
                "  enabled = false",
                "[continuous_queries]",
                "  enabled = false",
                "[http]",
                "  bind-address = \"127.0.0.1:" + httpPort + "\"",
                "  log-enabled = false",
                "  pprof-enabled = false",
                "  auth-enabled = " + authentication,
                "[logging]",
                "  level = \"warn\"",
                "  suppress-logo = true",
                "");
    }

    /** Starts {@code influxd} (again, on the same data after {@link #stop()}) and waits until it answers. */
    public synchronized void start() {
        if (process.isAlive()) {
            return;
        }
        process.start(List.of(findInfluxd(), "run", "-config", configFile.toString()));
        process.awaitReady(READY_TIMEOUT, this::ping);
        if (!user.isEmpty() && !userCreated) {
            // With authentication on and no user yet, InfluxDB accepts this one statement without credentials.
            post("/query?q=" + encode("CREATE USER \"" + user + "\" WITH PASSWORD '" + password.replace("'", "\\'")
                    + "' WITH ALL PRIVILEGES"), "");
            userCreated = true;
        }
    }

    /** True when the server answers {@code GET /ping} with 204. */
    public boolean ping() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/ping"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 204;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the process (SIGTERM, then SIGKILL after 10 s); the data stays for a later {@link #start()}. */
    public synchronized void stop() {
        process.stop(Duration.ofSeconds(10));
    }

    /** Base URL of the HTTP API, {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int port() {
        return httpPort;
    }

    public void createDatabase(String name) {
        post("/query?q=" + encode("CREATE DATABASE \"" + name + "\""), "");
    }

    /** Writes line protocol with millisecond timestamps. */
    public void write(String database, String lineProtocol) {
        post("/write?precision=ms&db=" + encode(database), lineProtocol);
    }

    /**
     * Runs one InfluxQL query (timestamps as epoch milliseconds) and returns the first statement's result,
     * {@code {"statement_id":0,"series":[...]}}; a statement error is thrown.
     */
    public JsonNode query(String database, String influxql) {
        String body = send(HttpRequest.newBuilder(URI.create(
                url() + "/query?epoch=ms&db=" + encode(database) + "&q=" + encode(influxql))).GET());
        try {
            JsonNode result = JSON.readTree(body).path("results").path(0);
            if (result.has("error")) {
                throw new IllegalStateException("query failed: " + influxql + ": " + result.get("error").asText());
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable query answer: " + body, e);
        }
    }

    /**
     * Number of points (values of field {@code value}) in the measurements matching a regular expression,
     * or in all measurements when it is {@code null} or {@code "*"}.
     */
    public long count(String database, String measurementRegex) {
        return (long) aggregate("count", database, measurementRegex);
    }

    /** Sum of field {@code value} over the measurements matching a regular expression (all for null or "*"). */
    public double sum(String database, String measurementRegex) {
        return aggregate("sum", database, measurementRegex);
    }

    private double aggregate(String function, String database, String measurementRegex) {
        String regex = measurementRegex == null || measurementRegex.equals("*") ? ".*" : measurementRegex;
        JsonNode result = query(database, "SELECT " + function + "(\"value\") FROM /" + regex.replace("/", "\\/") + "/");
        double total = 0;
        for (JsonNode series : result.path("series")) {
            for (JsonNode row : series.path("values")) {
                total += row.path(1).asDouble();
            }
        }
        return total;
    }

    private void post(String pathAndQuery, String body) {
        send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    private String send(HttpRequest.Builder request) {
        if (!user.isEmpty() && userCreated) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("InfluxDB answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("InfluxDB at " + url() + " unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The last lines influxd printed, for error messages. */
    public String logTail() {
        return process.logTail(20);
    }

    @Override
    public void close() {
        process.delete();
    }
}
