package io.monasca.sample.persister.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    @Test
    void theShippedExamplesAreValid() throws Exception {
        PersisterConfig influx = ConfigLoader.load(Path.of("persister-config.yml"));
        assertEquals("influxdb", influx.databaseConfiguration.databaseType);
        assertEquals(2, influx.metricConfiguration.numThreads);
        assertEquals(8091, influx.server.adminPort);
        PersisterConfig file = ConfigLoader.load(Path.of("persister-config-file.yml"));
        assertEquals("file", file.databaseConfiguration.databaseType);
    }

    @Test
    void appliesTheJavaPersisterDefaults() throws Exception {
        PersisterConfig config = ConfigLoader.parse("metricConfiguration:\n  numThreads: 3\n", "test");
        assertEquals(3, config.metricConfiguration.numThreads);
        assertEquals("metrics", config.metricConfiguration.topic);
        assertEquals("1_metrics", config.metricConfiguration.groupId);
        assertEquals(20000, config.metricConfiguration.batchSize);
        assertEquals(8091, config.server.adminPort);
        assertEquals("http://localhost:8086", config.influxDB.url);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "batchSize: 0                                       | metricConfiguration.batchSize must be between 1",
        "batchSize: ten                                     | metricConfiguration.batchSize: expected a whole number, got 'ten'",
        "batchSize: 1.5                                     | metricConfiguration.batchSize: expected a whole number, got '1.5'",
        "numThreads: -1                                     | metricConfiguration.numThreads must be between 1",
        "maxBatchTime: 0                                    | metricConfiguration.maxBatchTime must be between 1",
        "topic: ''                                          | metricConfiguration.topic must not be empty",
        "batchsize: 10                                      | unknown key 'metricConfiguration.batchsize'",
    })
    void namesTheBadMetricKey(String line, String expected) {
        assertError("metricConfiguration:\n  " + line + "\n", expected);
    }

    @Test
    void namesEveryOtherBadValue() {
        assertError("databaseConfiguration:\n  databaseType: cassandra\n",
                "databaseConfiguration.databaseType must be influxdb or file, not 'cassandra'");
        assertError("influxDB:\n  url: localhost:8086\n", "influxDB.url must be an http:// or https:// URL");
        assertError("influxDB:\n  name: ''\n", "influxDB.name must not be empty");
        assertError("server:\n  adminPort: 70000\n", "server.adminPort must be between 0 and 65535, not 70000");
        assertError("kafkaConfig:\n  autoOffsetReset: smallest\n", "kafkaConfig.autoOffsetReset must be earliest or latest");
        assertError("kafkaConfig:\n  bootstrapServers: ''\n", "kafkaConfig.bootstrapServers must not be empty");
        assertError("databaseConfiguration:\n  databaseType: file\nfile:\n  path: ''\n", "file.path must not be empty");
        assertError("metricConfiguration:\n", "metricConfiguration must be a section");
        assertError("nonsense: 1\n", "unknown key 'nonsense'");
        assertError("metricConfiguration: 'unclosed\n", "not valid YAML");
        assertError("metricConfiguration: [1]\n", "metricConfiguration: expected a section of key: value lines, got a list");
        assertError("", "the config file is empty");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "metricConfiguration: {batchSize: '10'}   | metricConfiguration.batchSize: expected a whole number, got '10'",
        "server: {adminPort: 99999999999}         | server.adminPort: expected a whole number, got '99999999999'",
        "server: {adminPort: true}                | server.adminPort: expected a whole number, got 'true'",
        "server: {adminPort: {a: 1}}              | server.adminPort: expected a whole number, got a section",
        "server: {adminPort: }                    | server.adminPort: expected a whole number, got nothing",
        "metricConfiguration: {topic: 5}          | metricConfiguration.topic: expected a string, got '5'",
        "metricConfiguration: {topic: [a]}        | metricConfiguration.topic: expected a string, got a list",
        "kafkaConfig: {properties: [1]}           | kafkaConfig.properties: expected a map of key: value lines, got a list",
        "server: 5                                | server: expected a section of key: value lines, got '5'",
        "[1, 2]                                   | the file: expected a section of key: value lines, got a list",
    })
    void typeErrorsQuoteTheValueWithoutLibraryInternals(String yaml, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml + "\n", "test.yml"));
        assertEquals("test.yml: " + expected, e.getMessage());
    }

    @Test
    void aDuplicatedKeyIsAnErrorNotALastOneWins() {
        ConfigException section = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "server:\n  adminPort: 8091\nmetricConfiguration:\n  batchSize: 10\nserver:\n  adminPort: 0\n", "test.yml"));
        assertEquals("test.yml: duplicate key 'server' (line 5): a key may appear only once in its section "
                + "(else the last one would silently win)", section.getMessage());
        ConfigException key = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "metricConfiguration:\n  batchSize: 10\n  topic: m\n  batchSize: 20\n", "test.yml"));
        assertTrue(key.getMessage().startsWith("test.yml: duplicate key 'metricConfiguration.batchSize' (line 4)"), key.getMessage());
    }

    @Test
    void kafkaPropertiesMayBeUnquotedScalars() throws Exception {
        PersisterConfig config = ConfigLoader.parse("kafkaConfig:\n  properties:\n    max.poll.records: 1000\n"
                + "    check.crcs: false\n    session.timeout.ms: \"10000\"\n", "test.yml");
        assertEquals(Map.of("max.poll.records", "1000", "check.crcs", "false", "session.timeout.ms", "10000"),
                config.kafkaConfig.properties);
        assertError("kafkaConfig:\n  properties:\n    max.poll.records: [1]\n",
                "kafkaConfig.properties.max.poll.records: expected a string, got a list");
    }

    @Test
    void aMissingFileIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Path.of("no-such.yml")));
        assertEquals("config file not found: no-such.yml", e.getMessage());
    }

    private static void assertError(String yaml, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, "test.yml"));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }
}
