package io.monasca.sample.persister.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.monasca.testkit.influx.InfluxServer;

/**
 * The InfluxDB password, against a real influxd with authentication on: read from {@code influxDB.passwordFile} or
 * the environment variable INFLUX_PASSWORD (the points are stored, so it was used), and never in the persister's
 * log, its process arguments, its admin API, or a configuration error.
 */
class SecretsIT {

    private static final String SECRET = "Sup3r-s3cret-Influx";
    private static final String WRONG = "Wr0ng-but-s3cret-too";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final KafkaPerClass KAFKA = new KafkaPerClass();
    private static InfluxServer influx;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        influx = InfluxServer.withAuthentication("mon_persister", SECRET);
        influx.start();
        influx.createDatabase("mon");
    }

    @AfterAll
    static void stop() {
        if (influx != null) {
            influx.close();
        }
    }

    private Path config(String topic, String influxSettings) throws IOException {
        KAFKA.createTopic(topic, 1);
        return Configs.write(dir, topic, KAFKA.bootstrapServers(), influx.url(), "mon", 1, 50, 1, "",
                "  user: mon_persister\n" + influxSettings);
    }

    /** The secret is nowhere the persister shows things: its output, its arguments, its admin API. */
    private static void assertNowhere(String secret, PersisterProcess persister) throws Exception {
        assertFalse(persister.log().contains(secret), "log: " + persister.log());
        assertFalse(persister.commandLine().contains(secret), "arguments: " + persister.commandLine());
        assertFalse(persister.adminMetrics().toString().contains(secret));
        assertFalse(persister.health().body().contains(secret), persister.health().body());
    }

    @Test
    void aPasswordFromAFileIsUsedAndNeverShown() throws Exception {
        Path file = Files.writeString(dir.resolve("influx-password"), SECRET + "\n");
        Path config = config("secretfile", "  passwordFile: " + file + "\n");
        try (PersisterProcess persister = PersisterProcess.start(config, dir.resolve("file.log"), List.of())) {
            long before = influx.count("mon", "*");
            Envelopes.send(KAFKA.bootstrapServers(), "secretfile", Envelopes.envelopes(0, 100));
            Waits.until("100 points written with the password", WAIT, () -> influx.count("mon", "*") == before + 100,
                    persister::logTail);
            assertTrue(persister.log().contains("authenticating to InfluxDB as user mon_persister with the password "
                    + "from file " + file), persister::logTail);
            assertNowhere(SECRET, persister);
        }
    }

    @Test
    void aPasswordFromTheEnvironmentIsUsedAndNeverShown() throws Exception {
        Path config = config("secretenv", "");
        try (PersisterProcess persister = PersisterProcess.start(config, dir.resolve("env.log"),
                Map.of("INFLUX_PASSWORD", SECRET))) {
            long before = influx.count("mon", "*");
            Envelopes.send(KAFKA.bootstrapServers(), "secretenv", Envelopes.envelopes(1000, 1100));
            Waits.until("100 points written with the password", WAIT, () -> influx.count("mon", "*") == before + 100,
                    persister::logTail);
            assertTrue(persister.log().contains("with the password from environment variable INFLUX_PASSWORD"),
                    persister::logTail);
            assertNowhere(SECRET, persister);
        }
    }

    @Test
    void aWrongPasswordIsRetriedAsAnOutageAndNeverShown() throws Exception {
        Path file = Files.writeString(dir.resolve("wrong-password"), WRONG + "\n");
        Path config = config("secretwrong", "  passwordFile: " + file + "\n");
        try (PersisterProcess persister = PersisterProcess.start(config, dir.resolve("wrong.log"), List.of())) {
            Envelopes.send(KAFKA.bootstrapServers(), "secretwrong", Envelopes.envelopes(2000, 2010));
            Waits.until("a refused write", WAIT, () -> persister.log().contains("HTTP 401"), persister::logTail);
            assertTrue(persister.isAlive());
            assertNowhere(WRONG, persister);
            assertNowhere(SECRET, persister);
        }
    }

    @Test
    void configurationErrorsNeverShowThePassword() throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), SECRET + "\n");
        List<String> bad = List.of(
                "influxDB:\n  user: mon\n  password: \"" + SECRET + "\nserver:\n  adminPort: 0\n",
                "influxDB:\n  user: mon\n  password: " + SECRET + ": x\n",
                "influxDB:\n  user: mon\n  password: [" + SECRET + "]\n",
                "influxDB:\n  user: mon\n  password: " + SECRET + "\n  passwordFile: " + file + "\n");
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < bad.size(); i++) {
            Path config = Files.writeString(dir.resolve("bad" + i + ".yml"), bad.get(i));
            Process process = new ProcessBuilder(PersisterProcess.javaExecutable(System.getProperty("java.home")),
                    "-jar", PersisterProcess.jar().toString(), "server", config.toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(2, process.exitValue(), output);
            assertTrue(output.startsWith("configuration error: "), output);
            outputs.add(output);
        }
        for (String output : outputs) {
            assertFalse(output.contains(SECRET), output);
        }
        assertTrue(outputs.get(3).contains("influxDB.password and influxDB.passwordFile are both set"), outputs.get(3));
    }
}
