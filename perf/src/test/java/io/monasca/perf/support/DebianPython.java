package io.monasca.perf.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's own python3 ({@code /usr/bin/python3}, which sees Debian's python3-* packages; the python3 first on
 * PATH may be another interpreter). Runs reference clients: monascastatsd and monascaclient.
 */
public final class DebianPython {
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    private DebianPython() {
    }

    /** True when /usr/bin/python3 can import the module (its Debian package is installed). */
    public static boolean has(String module) {
        if (!Files.isExecutable(PYTHON)) return false;
        try {
            return run("import " + module, 30).exitCode == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    public record Result(int exitCode, String output) {
    }

    public static Result run(String script, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", script).redirectErrorStream(true).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("python did not finish within " + timeoutSeconds + " s");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    public static List<String> lines(Result result) {
        return result.output().lines().toList();
    }
}
