package io.monasca.sample.persister.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.monasca.testkit.process.ServerProcess;

/** The sample persister's shaded jar running as its own JVM, as an operator would start it. */
final class PersisterProcess implements AutoCloseable {

    private static final Pattern ADMIN_PORT = Pattern.compile("admin server listening on port (\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final Path log;
    private final int adminPort;

    private PersisterProcess(Process process, Path log, int adminPort) {
        this.process = process;
        this.log = log;
        this.adminPort = adminPort;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("sample-persister.jar", "target/sample-persister.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("sample persister jar not built: " + jar + " (run mvn package)");
        }
        return jar;
    }

    /** Starts {@code java [jvmOptions] -jar sample-persister.jar server <config>} and waits for its admin port. */
    static PersisterProcess start(Path config, Path log, List<String> jvmOptions) throws IOException {
        return start(config, log, jvmOptions, javaExecutable(System.getProperty("java.home")));
    }

    /** The {@code java} launcher of a JDK home, or the argument itself when it already is an executable file. */
    static String javaExecutable(String jdk) {
        Path path = Path.of(jdk);
        return Files.isRegularFile(path) ? path.toString() : path.resolve("bin").resolve("java").toString();
    }

    /** Like {@link #start(Path, Path, List)} with the given {@code java} launcher. */
    static PersisterProcess start(Path config, Path log, List<String> jvmOptions, String java) throws IOException {
        return start(config, log, jvmOptions, java, Map.of());
    }

    /** Like {@link #start(Path, Path, List)} with further environment variables. */
    static PersisterProcess start(Path config, Path log, Map<String, String> environment) throws IOException {
        return start(config, log, List.of(), javaExecutable(System.getProperty("java.home")), environment);
    }

    private static PersisterProcess start(Path config, Path log, List<String> jvmOptions, String java,
                                          Map<String, String> environment) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-Xmx256m");
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar().toString(), "server", config.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a loaded CI machine is slow
        while (System.nanoTime() < deadline) {
            Matcher matcher = ADMIN_PORT.matcher(Files.exists(log) ? Files.readString(log) : "");
            int port = -1;
            while (matcher.find()) {
                port = Integer.parseInt(matcher.group(1)); // the last start's port when the log is shared
            }
            if (port > 0 && process.isAlive()) {
                PersisterProcess started = new PersisterProcess(process, log, port);
                if (started.isLatestStart()) {
                    return started;
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("sample persister exited with " + process.exitValue() + ":\n"
                        + tail(log));
            }
            sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("sample persister did not start its admin server within 60 s:\n" + tail(log));
    }

    /** With a log shared by several runs, the port found must answer for this process. */
    private boolean isLatestStart() {
        try {
            adminMetrics();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    JsonNode adminMetrics() {
        try {
            return JSON.readTree(get("/metrics").body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int healthStatus() {
        return health().statusCode();
    }

    /** {@code GET /healthcheck}: the status and the checks' JSON. */
    HttpResponse<String> health() {
        return get("/healthcheck");
    }

    private HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sum of the {@code count} of every metric of a kind (meters, counters, timers) whose name matches. */
    long sum(String kind, String nameRegex) {
        return sum(adminMetrics(), kind, nameRegex);
    }

    static long sum(JsonNode metrics, String kind, String nameRegex) {
        Pattern pattern = Pattern.compile(nameRegex);
        long total = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = metrics.path(kind).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> metric = it.next();
            if (pattern.matcher(metric.getKey()).find()) {
                total += metric.getValue().path("count").asLong();
            }
        }
        return total;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The process's arguments as the system shows them to every user ({@code /proc/<pid>/cmdline}). */
    String commandLine() throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
    }

    /** SIGKILL: no shutdown hook, no last flush. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor();
    }

    /** SIGTERM: the graceful stop. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("sample persister did not stop within 40 s:\n" + tail(log));
        }
        return process.exitValue();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    String logTail() {
        return tail(log);
    }

    private static String tail(Path log) {
        return ServerProcess.tail(log, 40);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
