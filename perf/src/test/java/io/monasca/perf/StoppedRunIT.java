package io.monasca.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C during a toggle run, to the built jar in its own JVM (SIGINT, as a terminal sends it): one line, exit 130,
 * and the report of the windows measured so far, marked incomplete. Issue 20: 87 to 130 lines of stack traces (the
 * producer closed, the broker's log folder gone) and no report.
 */
class StoppedRunIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void ctrlCPrintsOneLineExits130AndWritesTheWindowsSoFarMarkedIncomplete() throws Exception {
        Path jar = Path.of(System.getProperty("perf.jar", "target/monasca-perf.jar"));
        assertTrue(Files.isRegularFile(jar), "perf jar not built: " + jar);
        Path out = temp.resolve("stopped");
        // env --default-signal=INT: a background job of a shell without job control (CI started with `&`) ignores
        // SIGINT and passes that on, and a JVM that starts with SIGINT ignored leaves it ignored; a terminal's never is
        List<String> command = List.of("env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "run", "--mode", "enable", "--warmup-time", "0s", "--backlog-windows", "40", "--rate-windows", "0",
                "--window-messages", "10000", "--batch-size", "5000", "--source", "admin", "-o", out.toString());
        Process perf = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        int afterSignal = -1;
        try (BufferedReader output = new BufferedReader(new InputStreamReader(perf.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                lines.add(line);
                if (afterSignal < 0 && line.startsWith("[backlog 2/40")) {
                    afterSignal = lines.size();
                    new ProcessBuilder("kill", "-INT", Long.toString(perf.pid())).start().waitFor();
                }
                if (System.nanoTime() > deadline) break;
            }
        } finally {
            if (!perf.waitFor(60, TimeUnit.SECONDS)) perf.destroyForcibly();
        }
        String all = String.join("\n", lines);
        assertTrue(afterSignal > 0, "two measured windows before the signal: " + all);
        assertEquals(130, perf.exitValue(), all);
        List<String> printed = lines.subList(afterSignal, lines.size()).stream()
                .filter(l -> !l.startsWith("[backlog ")).toList(); // a window that ended as the signal came
        assertEquals(1, printed.size(), "one line after Ctrl-C: " + all);
        assertTrue(printed.get(0).startsWith("perf run: stopped by Ctrl-C or SIGTERM; the report of the ")
                && printed.get(0).contains(" windows measured so far, marked incomplete: " + out.resolve("report.md")), printed.get(0));
        assertFalse(all.contains("Exception") || all.contains("\tat "), "no stack trace: " + all);

        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        assertFalse(report.path("complete").asBoolean());
        assertTrue(report.path("stopped").asText().startsWith("stopped by Ctrl-C or SIGTERM after "), report.path("stopped").toString());
        long measured = 0;
        for (JsonNode w : report.path("windows")) if (w.path("kind").asText().equals("measured")) measured++;
        assertTrue(measured >= 2 && measured < 40, "the windows measured so far: " + measured);
        assertTrue(report.path("summary").path("overhead_pct").isNumber(), "the pairs so far are compared: " + report.path("summary"));
        assertTrue(Files.readString(out.resolve("report.md")).startsWith("# Monasca persister: agent off vs on, toggle mode `enable`\n\n"
                + "**INCOMPLETE: THE RUN WAS STOPPED; this report holds the windows done until then.**"));
        assertTrue(Files.isRegularFile(out.resolve("throughput.png")));
    }
}
