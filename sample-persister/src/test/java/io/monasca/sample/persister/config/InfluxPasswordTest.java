package io.monasca.sample.persister.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where the InfluxDB password comes from, and that no message or log line can carry it. */
class InfluxPasswordTest {

    private static final String SECRET = "Infl-ux-s3cret";

    @TempDir
    Path dir;

    private static PersisterConfig.InfluxDbConfig influx(String password, String passwordFile) {
        PersisterConfig.InfluxDbConfig influx = new PersisterConfig.InfluxDbConfig();
        influx.user = "mon_persister";
        influx.password = password;
        influx.passwordFile = passwordFile;
        return influx;
    }

    @Test
    void fromTheFirstLineOfAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("influx-password"), SECRET + "\nsecond line\n");
        InfluxPassword password = InfluxPassword.resolve(influx("", file.toString()),
                Map.of(InfluxPassword.ENVIRONMENT_VARIABLE, "not this one"));
        assertEquals(SECRET, password.value());
        assertEquals("password from file " + file, password.toString());
    }

    @Test
    void fromTheEnvironmentWhenTheConfigHasNone() throws Exception {
        InfluxPassword password = InfluxPassword.resolve(influx("", ""), Map.of("INFLUX_PASSWORD", SECRET));
        assertEquals(SECRET, password.value());
        assertEquals("password from environment variable INFLUX_PASSWORD", password.toString());
    }

    @Test
    void fromTheConfigFileWhenItHasOne() throws Exception {
        InfluxPassword password = InfluxPassword.resolve(influx(SECRET, ""), Map.of("INFLUX_PASSWORD", "other"));
        assertEquals(SECRET, password.value());
        assertFalse(password.toString().contains(SECRET), password.toString());
    }

    @Test
    void noneAtAll() throws Exception {
        assertEquals("", InfluxPassword.resolve(influx("", ""), Map.of()).value());
    }

    @Test
    void bothThePasswordAndAFileIsAnError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> InfluxPassword.resolve(influx(SECRET, dir.resolve("x").toString()), Map.of()));
        assertTrue(e.getMessage().contains("influxDB.password and influxDB.passwordFile are both set"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }

    @Test
    void aMissingOrEmptyFileIsNamed() throws Exception {
        Path missing = dir.resolve("missing");
        ConfigException e = assertThrows(ConfigException.class,
                () -> InfluxPassword.resolve(influx("", missing.toString()), Map.of()));
        assertEquals("influxDB.passwordFile " + missing + " cannot be read: NoSuchFileException", e.getMessage());
        Path empty = Files.writeString(dir.resolve("empty"), "\n" + SECRET);
        e = assertThrows(ConfigException.class, () -> InfluxPassword.resolve(influx("", empty.toString()), Map.of()));
        assertTrue(e.getMessage().contains(" is empty: its first line is the password"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }

    /** The YAML parser's errors quote the line at fault; the line is left out, wherever the password stands. */
    @ParameterizedTest
    @ValueSource(strings = {
        "  password: \"" + SECRET + "\n",
        "  password: " + SECRET + ": x\n",
        "  password: [" + SECRET + "]\n",
        "  password: {a: " + SECRET + "}\n",
        "  password: '" + SECRET + "\n  user: x\n",
    })
    void aBadConfigLineNeverShowsThePassword(String line) {
        String yaml = "influxDB:\n  url: http://localhost:8086\n  user: mon\n" + line + "server:\n  adminPort: 0\n";
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, "test.yml"));
        assertTrue(e.getMessage().startsWith("test.yml: "), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }

    @Test
    void aNumericPasswordIsTakenAsItsText() throws Exception {
        PersisterConfig config = ConfigLoader.parse("influxDB:\n  user: mon\n  password: 98765432\n", "test.yml");
        assertEquals("98765432", config.influxDB.password);
    }

    @Test
    void aSyntaxErrorStillSaysWhereItIs() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("influxDB:\n  password: \"" + SECRET + "\nserver: {}\n", "test.yml"));
        assertTrue(e.getMessage().contains("line 2, column 13"), e.getMessage());
    }
}
