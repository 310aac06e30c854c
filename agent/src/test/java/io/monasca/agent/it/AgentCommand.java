package io.monasca.agent.it;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar monasca-persister-agent.jar <args>}, the shipped jar, run as an operator would. */
record AgentCommand(int exitCode, String stdout, String stderr) {

    static AgentCommand run(Path jdk, Path workingDirectory, String... args) throws Exception {
        return run(List.of(), jdk, workingDirectory, args);
    }

    /** Run as another user ({@link OtherUser}). */
    static AgentCommand runAs(String user, Path jdk, String... args) throws Exception {
        return run(OtherUser.as(user), jdk, Path.of(".").toAbsolutePath(), args);
    }

    private static AgentCommand run(List<String> prefix, Path jdk, Path workingDirectory, String... args) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(jdk.resolve("bin/java").toString(), "-jar", ForkedApp.AGENT_JAR.toString()));
        command.addAll(List.of(args));
        File out = File.createTempFile("agent-cli", ".out");
        File err = File.createTempFile("agent-cli", ".err");
        try {
            Process p = new ProcessBuilder(command).directory(workingDirectory.toFile())
                    .redirectOutput(out).redirectError(err).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the command hung: " + command);
            AgentCommand result = new AgentCommand(p.exitValue(), java.nio.file.Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    java.nio.file.Files.readString(err.toPath(), StandardCharsets.UTF_8));
            System.out.println("$ agent " + String.join(" ", args) + "  -> exit " + result.exitCode + "\n" + result.stdout
                    + result.stderr);
            return result;
        } finally {
            out.delete();
            err.delete();
        }
    }

    static AgentCommand run(Path jdk, String... args) throws Exception {
        return run(jdk, Path.of(".").toAbsolutePath(), args);
    }

    String all() {
        return stdout + stderr;
    }
}
