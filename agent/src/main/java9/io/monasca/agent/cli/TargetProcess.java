package io.monasca.agent.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Why a process cannot be attached to, said in words before trying: the JDK's attach API reports all of these as
 * one opaque failure, and sending its attach signal to a process that is not a JVM can kill that process, so no
 * signal is sent unless what can be read shows a JVM. Reads Linux's {@code /proc}; elsewhere only the first check
 * applies and the attach API's own error is reported.
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
        Integer owner = uid(pid);
        Integer me = uid(ProcessHandle.current().pid());
        if (owner != null && me != null && !owner.equals(me) && me != 0) { // the JDK's rule: same user, or root
            String name = userName(owner);
            return "process " + pid + " runs as user " + name + " and this command as " + userName(me) + ": a JVM"
                    + " accepts attach only from its own user; run the command as " + name + " (e.g. sudo -u " + name
                    + " java -jar ...)";
        }
        String maps = read(dir.resolve("maps"));
        if (maps != null && !maps.contains("/libjvm.so") && !maps.contains("libj9vm")) {
            return "process " + pid + " (" + command(process.get()) + ") is not a Java virtual machine";
        }
        if (maps == null && !looksLikeAJvm(pid, dir)) {
            return "cannot tell whether process " + pid + " (" + command(process.get()) + ") is a Java virtual"
                    + " machine: its /proc/" + pid + "/maps is not readable by this command, and neither its"
                    + " executable, its command line nor an hsperfdata file shows one. No attach signal was sent (it"
                    + " ends a process that is not a JVM)";
        }
        if (startedWith(dir, DISABLE_ATTACH)) {
            return "process " + pid + " was started with " + DISABLE_ATTACH + ": it accepts no attach (restart it"
                    + " with -javaagent: instead)";
        }
        return null;
    }

    /** Whether the process is a JVM, by its memory map or, when that cannot be read, by {@link #looksLikeAJvm}. */
    static boolean isJvm(long pid) {
        Path dir = PROC.resolve(Long.toString(pid));
        String maps = read(dir.resolve("maps"));
        return maps != null ? maps.contains("/libjvm.so") || maps.contains("libj9vm") : looksLikeAJvm(pid, dir);
    }

    /**
     * When its memory map cannot be read (another user's process as root without the right, or one that made itself
     * non-dumpable): a JVM by what can be read, its executable ({@code java}, or one beside {@code lib/server/libjvm.so}),
     * its command's name, or the performance-data file every HotSpot JVM writes unless told not to.
     */
    static boolean looksLikeAJvm(long pid, Path procDir) {
        try {
            Path exe = Files.readSymbolicLink(procDir.resolve("exe"));
            if (isJavaLauncher(exe)) {
                return true;
            }
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            // not readable either: the other clues
        }
        String cmdline = read(procDir.resolve("cmdline"));
        if (cmdline != null && !cmdline.isEmpty()) {
            String argv0 = cmdline.split("\0")[0];
            if (argv0.equals("java") || argv0.endsWith("/java")) {
                return true;
            }
        }
        return hsperfdataFile(pid) != null;
    }

    private static boolean isJavaLauncher(Path exe) {
        Path name = exe.getFileName();
        Path bin = exe.getParent();
        return name != null && (name.toString().equals("java") || (bin != null && bin.getParent() != null
                && Files.exists(bin.getParent().resolve("lib/server/libjvm.so"))));
    }

    /** {@code /tmp/hsperfdata_<user>/<pid>}, as HotSpot writes it on Linux; null when there is none. */
    static Path hsperfdataFile(long pid) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Paths.get("/tmp"), "hsperfdata_*")) {
            for (Path dir : dirs) {
                Path file = dir.resolve(Long.toString(pid));
                if (Files.isRegularFile(file)) {
                    return file;
                }
            }
        } catch (IOException | SecurityException e) {
            // no such directory here
        }
        return null;
    }

    /** The processes with a HotSpot performance-data file in the readable {@code /tmp/hsperfdata_*} directories. */
    static List<Long> withHsperfdata() {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Paths.get("/tmp"), "hsperfdata_*")) {
            for (Path dir : dirs) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                    for (Path file : files) {
                        try {
                            pids.add(Long.parseLong(file.getFileName().toString()));
                        } catch (NumberFormatException e) {
                            // not a JVM's file
                        }
                    }
                } catch (IOException | SecurityException e) {
                    // another user's directory
                }
            }
        } catch (IOException | SecurityException e) {
            // none here
        }
        return pids;
    }

    /** The effective user id of a process, from {@code /proc/<pid>/status} (readable even when other files are not). */
    static Integer uid(long pid) {
        String status = read(PROC.resolve(Long.toString(pid)).resolve("status"));
        if (status != null) {
            for (String line : status.split("\n")) {
                if (line.startsWith("Uid:")) {
                    String[] ids = line.substring(4).trim().split("\\s+");
                    try {
                        return Integer.valueOf(ids.length > 1 ? ids[1] : ids[0]);
                    } catch (NumberFormatException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    /** The name of the user a process runs as, or null when unknown. */
    static String user(long pid) {
        Integer uid = uid(pid);
        return uid == null ? null : userName(uid);
    }

    /** From {@code /etc/passwd}; {@code uid N} when it has no entry. */
    static String userName(int uid) {
        String passwd = read(Paths.get("/etc/passwd"));
        if (passwd != null) {
            for (String line : passwd.split("\n")) {
                String[] fields = line.split(":");
                if (fields.length > 2 && fields[2].equals(Integer.toString(uid))) {
                    return fields[0];
                }
            }
        }
        return "uid " + uid;
    }

    /** What {@code list} shows for a JVM the attach API leaves out: its main class or jar and arguments. */
    static String displayName(long pid) {
        String cmdline = read(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
        if (cmdline == null || cmdline.isEmpty()) {
            return "?";
        }
        List<String> args = List.of(cmdline.split("\0"));
        StringBuilder shown = new StringBuilder();
        boolean options = true;
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (options && (a.equals("-cp") || a.equals("-classpath") || a.equals("--class-path") || a.equals("-p")
                    || a.equals("--module-path") || a.equals("--add-opens") || a.equals("--add-exports"))) {
                i++;
            } else if (options && a.equals("-jar")) {
                options = false;
            } else if (!options || !a.startsWith("-")) {
                options = false;
                shown.append(shown.length() == 0 ? "" : " ").append(a);
            }
        }
        return shown.toString();
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

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
