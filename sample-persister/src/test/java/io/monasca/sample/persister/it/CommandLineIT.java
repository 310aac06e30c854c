package io.monasca.sample.persister.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executable jar's command line: bad input is named and ends with a non-zero exit status. */
class CommandLineIT {

    @TempDir
    Path dir;

    private record Result(int status, String output) {
    }

    private static Result run(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", PersisterProcess.jar().toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return new Result(process.exitValue(), output);
    }

    @Test
    void aBadValueIsNamedWithItsKey() throws Exception {
        Path config = dir.resolve("bad.yml");
        Files.writeString(config, "metricConfiguration:\n  batchSize: -5\n");
        Result result = run("server", config.toString());
        assertEquals(2, result.status(), result.output());
        assertTrue(result.output().contains("configuration error: " + config
                + ": metricConfiguration.batchSize must be between 1 and 1000000, not -5"), result.output());
    }

    @Test
    void aMissingFileAndAnUnknownCommandAreErrors() throws Exception {
        Result missing = run(dir.resolve("nope.yml").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.output().contains("config file not found"), missing.output());

        Result command = run("check", "persister-config.yml");
        assertEquals(2, command.status());
        assertTrue(command.output().contains("unknown command 'check'"), command.output());

        Result none = run();
        assertEquals(2, none.status());
        assertTrue(none.output().contains("Missing required parameter"), none.output());
    }

    @Test
    void helpDescribesTheUsage() throws Exception {
        Result help = run("--help");
        assertEquals(0, help.status());
        assertTrue(help.output().contains("Usage: sample-persister"), help.output());
    }
}
