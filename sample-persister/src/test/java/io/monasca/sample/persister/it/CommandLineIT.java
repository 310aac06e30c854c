package io.monasca.sample.persister.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
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

    /** Runs the jar on a config file of this content: exit 2 and "configuration error: <file>: <expected>". */
    private Result assertConfigError(String name, String yaml, String expected) throws Exception {
        Path config = Files.writeString(dir.resolve(name), yaml);
        Result result = run("server", config.toString());
        assertEquals(2, result.status(), result.output());
        assertTrue(result.output().contains("configuration error: " + config + ": " + expected), result.output());
        return result;
    }

    @Test
    void aBadValueIsNamedWithItsKey() throws Exception {
        assertConfigError("bad.yml", "metricConfiguration:\n  batchSize: -5\n",
                "metricConfiguration.batchSize must be between 1 and 1000000, not -5");
    }

    @Test
    void kafkaSettingsTheClientRefusesAreNamed() throws Exception {
        Path badServers = dir.resolve("servers.yml");
        Files.writeString(badServers, "kafkaConfig:\n  bootstrapServers: \"nohost:abc\"\nserver:\n  adminPort: 0\n");
        Result servers = run("server", badServers.toString());
        assertEquals(2, servers.status(), servers.output());
        assertTrue(servers.output().contains("configuration error: kafkaConfig.bootstrapServers: ")
                && servers.output().contains("nohost:abc"), servers.output());
        assertFalse(servers.output().contains("\tat "), "no stack trace: " + servers.output());

        Path badProperty = dir.resolve("property.yml");
        Files.writeString(badProperty, "kafkaConfig:\n  bootstrapServers: 127.0.0.1:1\n  properties:\n"
                + "    max.poll.records: \"abc\"\nserver:\n  adminPort: 0\n");
        Result property = run("server", badProperty.toString());
        assertEquals(2, property.status(), property.output());
        assertTrue(property.output().contains("configuration error: kafkaConfig.properties: ")
                && property.output().contains("max.poll.records"), property.output());
        assertFalse(property.output().contains("\tat "), "no stack trace: " + property.output());
    }

    @Test
    void anAdminPortInUseIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path config = dir.resolve("port.yml");
            Files.writeString(config, "kafkaConfig:\n  bootstrapServers: 127.0.0.1:1\nserver:\n  adminHost: 127.0.0.1\n"
                    + "  adminPort: " + taken.getLocalPort() + "\n");
            Result result = run("server", config.toString());
            assertEquals(2, result.status(), result.output());
            assertTrue(result.output().contains("configuration error: server.adminHost 127.0.0.1, server.adminPort "
                    + taken.getLocalPort() + ": the port is already in use"), result.output());
            assertFalse(result.output().contains("\tat "), "no stack trace: " + result.output());
        }
    }

    @Test
    void anAdminHostThatIsNotLocalOrDoesNotResolveIsNamedAsSuch() throws Exception {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737), never this machine's; .invalid never resolves (RFC 2606)
        for (String host : List.of("192.0.2.1", "no.such.host.invalid")) {
            Path config = dir.resolve("host.yml");
            Files.writeString(config, "kafkaConfig:\n  bootstrapServers: 127.0.0.1:1\nserver:\n  adminHost: " + host
                    + "\n  adminPort: 0\n");
            Result result = run("server", config.toString());
            assertEquals(2, result.status(), result.output());
            String cause = host.startsWith("192") ? "192.0.2.1 is not an address of this machine"
                    : "host name 'no.such.host.invalid' does not resolve";
            assertTrue(result.output().contains("configuration error: server.adminHost " + host + ", server.adminPort 0: "
                    + cause), result.output());
            assertFalse(result.output().contains("in use"), result.output());
        }
    }

    @Test
    void aTypeErrorAndADuplicatedSectionAreConfigurationErrors() throws Exception {
        Result type = assertConfigError("type.yml", "metricConfiguration:\n  batchSize: ten\n",
                "metricConfiguration.batchSize: expected a whole number, got 'ten'");
        assertFalse(type.output().contains("CoercionConfig"), type.output());
        assertConfigError("twice.yml", "server:\n  adminPort: 0\nmetricConfiguration:\n  numThreads: 1\nserver:\n"
                + "  adminPort: 8091\n", "duplicate key 'server' (line 5)");
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
