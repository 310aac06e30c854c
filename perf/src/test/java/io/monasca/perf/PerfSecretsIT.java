package io.monasca.perf;

import io.monasca.perf.standin.StandInMonascaApi;
import io.monasca.perf.support.StoredStandIn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Keystone password of {@code perf watch --source monasca}, given as the documentation shows it (the environment
 * variable OS_PASSWORD, not an argument), to the built jar in its own JVM: it is used (the watch reaches its target
 * through the stand-in Keystone), and it is in neither the output, the written file nor the process arguments; a
 * wrong one is refused with a message that does not show it either.
 */
class PerfSecretsIT {
    private static final String SECRET = "K3ystone-s3cret-pw";
    private static final Map<String, String> DIMENSIONS = Map.of("component", "monasca-persister", "hostname", "p1");

    @TempDir
    Path temp;

    private record Run(int code, String output, String commandLine) {
    }

    private Run watch(StandInMonascaApi api, String password) throws Exception {
        Path jar = Path.of(System.getProperty("perf.jar", "target/monasca-perf.jar"));
        assertTrue(Files.isRegularFile(jar), "perf jar not built: " + jar);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "watch", "--source", "monasca", "-n", "1000", "-w", "200ms", "--timeout", "30s",
                "-o", temp.toString(), "--http-timeout", "5s", "--os-auth-url", api.keystoneUrl().toString(),
                "--os-username", "reader", "--os-project-name", "monitoring"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(temp.resolve("watch.out").toFile());
        builder.environment().put("OS_PASSWORD", password);
        Process process = builder.start();
        String commandLine = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "perf watch did not end");
        return new Run(process.exitValue(), Files.readString(temp.resolve("watch.out")), commandLine);
    }

    private String writtenFiles() throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(temp)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                text.append(Files.readString(file));
            }
        }
        return text.toString();
    }

    @Test
    void thePasswordFromTheEnvironmentIsUsedAndNeverShown() throws Exception {
        try (StoredStandIn store = StoredStandIn.start();
             StandInFeeder feeder = StandInFeeder.start(store, DIMENSIONS)) {
            StandInMonascaApi api = store.api().user("reader", SECRET, "monitoring", true);
            Run run = watch(api, SECRET);
            assertEquals(0, run.code(), run.output());
            assertTrue(run.output().contains("Source: monasca"), run.output());
            assertTrue(run.commandLine().contains("--os-username reader"), run.commandLine());
            assertFalse(run.commandLine().contains(SECRET), run.commandLine());
            assertFalse(writtenFiles().contains(SECRET), "output and persister_perf_output.txt");
        }
    }

    @Test
    void aWrongPasswordIsRefusedWithoutShowingIt() throws Exception {
        try (StoredStandIn store = StoredStandIn.start()) {
            StandInMonascaApi api = store.api().user("reader", "the-right-one", "monitoring", true);
            Run run = watch(api, SECRET);
            assertEquals(1, run.code(), run.output());
            assertTrue(run.output().contains("HTTP 401 (unauthorized: wrong user, password or project"), run.output());
            assertFalse(run.commandLine().contains(SECRET), run.commandLine());
            assertFalse(writtenFiles().contains(SECRET), run.output());
        }
    }
}
