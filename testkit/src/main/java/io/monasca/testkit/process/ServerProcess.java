package io.monasca.testkit.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A server run as a child process (influxd, a Kafka broker): its own temporary home directory with a log file that
 * collects its output over every start, started, stopped (SIGTERM) or killed (SIGKILL) and started again on the
 * same home. {@link #delete()} removes the home.
 */
public final class ServerProcess {

    private final String name;
    private final Path home;
    private final Path log;
    private Process process;

    /** Creates the home directory; nothing runs yet. */
    public ServerProcess(String name) {
        this.name = name;
        try {
            home = Files.createTempDirectory(name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a directory for " + name, e);
        }
        log = home.resolve(name + ".log");
    }

    public Path home() {
        return home;
    }

    /** A free TCP port on this machine, for a server to bind. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /** Starts the command with its output appended to the log, unless the process is running already. */
    public synchronized void start(List<String> command) {
        if (isAlive()) {
            return;
        }
        try {
            process = new ProcessBuilder(command)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** Polls until {@code ready} holds; fails with the log's end when the process exits or the time runs out. */
    public void awaitReady(Duration timeout, BooleanSupplier ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Process current;
            synchronized (this) {
                current = process;
            }
            if (current == null || !current.isAlive()) {
                throw new IllegalStateException(name + " exited" + (current == null ? "" : " with " + current.exitValue())
                        + ":\n" + logTail(30));
            }
            if (ready.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
        throw new IllegalStateException(name + " did not get ready within " + timeout.toSeconds() + " s:\n" + logTail(30));
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * SIGTERM, then SIGKILL when the process has not ended after {@code grace}.
     *
     * @return its exit status, or -1 when it was not running
     */
    public synchronized int stop(Duration grace) {
        if (process == null) {
            return -1;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return -1;
        } finally {
            process = null;
        }
    }

    /** SIGKILL: no shutdown of any kind. @return its exit status (137), or -1 when it was not running */
    public synchronized int kill() {
        if (process == null) {
            return -1;
        }
        try {
            return process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } finally {
            process = null;
        }
    }

    /** The last lines of the log, for error messages. */
    public String logTail(int lines) {
        return tail(log, lines);
    }

    /** The last lines of a log file, for error messages. */
    public static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Kills the process if it still runs and deletes the home directory. */
    public void delete() {
        kill();
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is harmless.
        }
    }
}
