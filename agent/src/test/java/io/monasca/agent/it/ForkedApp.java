package io.monasca.agent.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@code io.monasca.testapp.TestApp} in its own JVM with the shipped agent jar, and what it printed. */
final class ForkedApp {
    static final Path AGENT_JAR = Path.of(System.getProperty("agent.jar", "target/monasca-persister-agent.jar"));
    private static final String TEST_CLASSES = Path.of("target/test-classes").toAbsolutePath().toString();

    private final Path jdk;
    private final List<String> jvmArgs = new ArrayList<>();
    private final Map<String, String> environment = new HashMap<>();
    private String agentArgument;
    private String user;
    private boolean withAgent = true;
    private String extraClassPath;
    private java.time.Duration timeout = java.time.Duration.ofSeconds(60);

    ForkedApp(Path jdk) {
        this.jdk = jdk;
        if (!Files.isRegularFile(AGENT_JAR)) {
            throw new IllegalStateException("agent jar not built: " + AGENT_JAR + " (run mvn package)");
        }
    }

    ForkedApp agent(String argument) {
        this.agentArgument = argument;
        return this;
    }

    ForkedApp withoutAgent() {
        this.withAgent = false;
        return this;
    }

    ForkedApp jvm(String... args) {
        jvmArgs.addAll(List.of(args));
        return this;
    }

    /** Adds class path entries after the test classes (e.g. a service provider compiled by a test). */
    ForkedApp classPath(Path... entries) {
        StringBuilder path = new StringBuilder();
        for (Path entry : entries) {
            path.append(path.length() == 0 ? "" : java.io.File.pathSeparator).append(entry);
        }
        this.extraClassPath = path.toString();
        return this;
    }

    /** How long {@link #run} waits for the JVM to end (default 60 s). */
    ForkedApp timeout(java.time.Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** Runs the JVM as that user ({@link OtherUser}); the test runs as root. */
    ForkedApp asUser(String name) {
        this.user = name;
        return this;
    }

    ForkedApp env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    List<String> command(String... appArgs) {
        List<String> cmd = new ArrayList<>(user == null ? List.of() : OtherUser.as(user));
        cmd.add(jdk.resolve("bin/java").toString());
        cmd.addAll(jvmArgs);
        if (withAgent) {
            cmd.add("-javaagent:" + AGENT_JAR + (agentArgument == null ? "" : "=" + agentArgument));
        }
        cmd.add("-cp");
        cmd.add(extraClassPath == null ? TEST_CLASSES : TEST_CLASSES + java.io.File.pathSeparator + extraClassPath);
        cmd.add("io.monasca.testapp.TestApp");
        cmd.addAll(List.of(appArgs));
        return cmd;
    }

    Process start(String... appArgs) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(appArgs));
        pb.environment().keySet().removeIf(k -> k.startsWith("MONASCA_AGENT_") || k.startsWith("JAVA_TOOL"));
        pb.environment().putAll(environment);
        return pb.start();
    }

    Result run(String... appArgs) throws Exception {
        Process p = start(appArgs);
        p.getOutputStream().close();
        File out = File.createTempFile("forked", ".out");
        File err = File.createTempFile("forked", ".err");
        try {
            Thread o = drain(p.getInputStream(), out.toPath());
            Thread e = drain(p.getErrorStream(), err.toPath());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("forked JVM did not end within " + timeout + ": " + command(appArgs));
            }
            o.join();
            e.join();
            return new Result(p.exitValue(), Files.readAllLines(out.toPath()), Files.readAllLines(err.toPath()));
        } finally {
            out.delete();
            err.delete();
        }
    }

    /** Runs the app to its end, checks its results, and waits until the agent's last interval reached statsd. */
    Result runToTheEnd(io.monasca.testkit.statsd.StatsdReceiver statsd, String... appArgs) throws Exception {
        Result r = run(appArgs);
        r.assertRanCorrectly();
        AgentForkedIT.awaitLastInterval(statsd, 1);
        return r;
    }

    private static Thread drain(java.io.InputStream in, Path to) {
        Thread t = new Thread(() -> {
            try {
                Files.copy(in, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        t.start();
        return t;
    }

    /** Exit code, output lines and the ground truth the application printed. */
    record Result(int exitCode, List<String> stdout, List<String> stderr) {
        long expected(String key) {
            for (String line : stdout) {
                if (line.startsWith("EXPECT " + key + "=")) {
                    return Long.parseLong(line.substring(line.indexOf('=') + 1));
                }
            }
            throw new AssertionError("the application printed no EXPECT " + key + ": " + stdout);
        }

        void assertRanCorrectly() {
            assertEquals(0, exitCode, () -> "exit code; stdout=" + stdout + " stderr=" + stderr);
            assertTrue(stdout.contains("RESULTS-OK"), () -> "results changed: " + stdout);
        }

        /** Lines on stderr that the agent did not write (JVM warnings, stack traces...). */
        List<String> foreignStderr() {
            return stderr.stream().filter(l -> !l.startsWith("[monasca-agent] ")).toList();
        }

        List<String> agentLog(String level) {
            return stderr.stream().filter(l -> l.startsWith("[monasca-agent] " + level)).toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + String.join("\n", stdout) + "\nstderr:\n" + String.join("\n", stderr);
        }
    }
}
