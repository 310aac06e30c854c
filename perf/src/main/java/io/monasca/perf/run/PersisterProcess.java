package io.monasca.perf.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.monasca.testkit.process.ServerProcess;

/**
 * The sample persister as a child JVM: {@code java [-javaagent:<agent>=<options>] -jar sample-persister.jar server
 * <config>}, its output going to a log file. {@link #stop} asks it to end (SIGTERM, so the agent's shutdown hook
 * sends the last partial interval) and kills it only if it does not.
 */
public final class PersisterProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private PersisterProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static List<String> command(Path persisterJar, Path config, String agentArgument, List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        if (agentArgument != null) command.add(agentArgument);
        command.add("-jar");
        command.add(persisterJar.toString());
        command.add("server");
        command.add(config.toString());
        return command;
    }

    public static PersisterProcess start(List<String> command, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        return new PersisterProcess(process, log);
    }

    /** The JVM running this tool: the child uses the same one. */
    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** Asks the JVM to exit; kills it when it has not exited after {@code grace}. Returns the exit code. */
    public int stop(Duration grace) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** Kills the JVM at once (SIGKILL) and waits briefly for it: this tool is being stopped. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines the persister printed, for error messages. */
    public String logTail(int lines) {
        return ServerProcess.tail(log, lines);
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(10));
    }
}
