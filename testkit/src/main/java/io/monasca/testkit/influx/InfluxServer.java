package io.monasca.testkit.influx;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real InfluxDB 1.x server: an {@code influxd} process with its own config file, data in a temporary
 * directory and both of its ports on 127.0.0.1. It can be stopped and started again on the same data
 * (to simulate a database outage); {@link #close()} stops it and deletes the data.
 */
public final class InfluxServer implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path home;
    private final Path configFile;
    private final Path logFile;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    /** Prepares a server (config file, empty data directories); {@link #start()} runs it. */
    public InfluxServer() {
        String influxd = findInfluxd();
        if (influxd == null) {
            throw new IllegalStateException(
                    "influxd not found: install Debian package influxdb (run-tests.sh does it when run as root)");
        }
        try {
            home = Files.createTempDirectory("influxd-");
            configFile = home.resolve("influxdb.conf");
            logFile = home.resolve("influxd.log");
            httpPort = freePort();
            Files.writeString(configFile, config(home, httpPort, freePort()));
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

    private static String config(Path home, int httpPort, int rpcPort) {
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
                "[logging]",
                "  level = \"warn\"",
                "  suppress-logo = true",
                "");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** Starts {@code influxd} (again, on the same data after {@link #stop()}) and waits until it answers. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            process = new ProcessBuilder(findInfluxd(), "run", "-config", configFile.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start influxd", e);
        }
        awaitReady();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("influxd exited with " + process.exitValue() + ": " + logTail());
            }
            if (ping()) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException("influxd did not answer GET /ping within " + READY_TIMEOUT + ": " + logTail());
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
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
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
        String regex = measurementRegex == null || measurementRegex.equals("*") ? ".*" : measurementRegex;
        JsonNode result = query(database, "SELECT count(\"value\") FROM /" + regex.replace("/", "\\/") + "/");
        long total = 0;
        for (JsonNode series : result.path("series")) {
            for (JsonNode row : series.path("values")) {
                total += row.path(1).asLong();
            }
        }
        return total;
    }

    private void post(String pathAndQuery, String body) {
        send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    private String send(HttpRequest.Builder request) {
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
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is harmless.
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
