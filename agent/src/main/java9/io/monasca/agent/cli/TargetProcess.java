package io.monasca.agent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;

/**
 * Why a process cannot be attached to, said in words before trying: the JDK's attach API reports all of these as
 * one opaque failure, and sending its attach signal to a process that is not a JVM can kill that process. Reads
 * Linux's {@code /proc}; elsewhere only the first check applies and the attach API's own error is reported.
 */
final class TargetProcess {
    static final String DISABLE_ATTACH = "-XX:+DisableAttachMechanism";
    private static final Path PROC = Paths.get("/proc");

    private TargetProcess() {
    }

    /** Null when {@code pid} is a live JVM of this user that accepts attach, as far as can be told; else why not. */
    static String whyNotAttachable(long pid) {
        if (pid == ProcessHandle.current().pid()) {
            return "process " + pid + " is this command itself";
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (!process.isPresent() || !process.get().isAlive()) {
            return "there is no process " + pid;
        }
        Path dir = PROC.resolve(Long.toString(pid));
        if (!Files.isDirectory(dir)) {
            return null; // no /proc here: the attach API will say
        }
        String owner = owner(dir);
        String me = owner(PROC.resolve("self"));
        if (owner != null && me != null && !owner.equals(me) && !me.equals("root")) { // the JDK's rule: same user, or root
            return "process " + pid + " runs as user " + owner + " and this command as " + me + ": a JVM accepts"
                    + " attach only from its own user; run the command as " + owner + " (e.g. sudo -u " + owner
                    + " java -jar ...)";
        }
        String maps = read(dir.resolve("maps"));
        if (maps != null && !maps.contains("/libjvm.so") && !maps.contains("libj9vm")) {
            return "process " + pid + " (" + command(process.get()) + ") is not a Java virtual machine";
        }
        if (startedWith(dir, DISABLE_ATTACH)) {
            return "process " + pid + " was started with " + DISABLE_ATTACH + ": it accepts no attach (restart it"
                    + " with -javaagent: instead)";
        }
        return null;
    }

    /** Whether the JVM's command line or its JVM-option environment variables hold {@code option}. */
    static boolean startedWith(Path procDir, String option) {
        String cmdline = read(procDir.resolve("cmdline"));
        if (cmdline != null && List.of(cmdline.split("\0")).contains(option)) {
            return true;
        }
        String environ = read(procDir.resolve("environ"));
        if (environ != null) {
            for (String variable : environ.split("\0")) {
                if ((variable.startsWith("JAVA_TOOL_OPTIONS=") || variable.startsWith("JDK_JAVA_OPTIONS=")
                        || variable.startsWith("_JAVA_OPTIONS=")) && variable.contains(option)) {
                    return true;
                }
            }
        }
        return false;
    }

    static String command(ProcessHandle process) {
        return process.info().commandLine().or(() -> process.info().command()).orElse("?");
    }

    private static String owner(Path path) {
        try {
            return Files.getOwner(path).getName();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
