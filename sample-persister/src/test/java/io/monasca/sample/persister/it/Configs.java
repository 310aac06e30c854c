package io.monasca.sample.persister.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Persister configuration files for the tests, in the shape of the shipped persister-config.yml. */
final class Configs {

    private Configs() {
    }

    static Path write(Path dir, String topic, String bootstrapServers, String influxUrl, String database,
                      int numThreads, int batchSize, int maxBatchTime, String extraMetricSettings) throws IOException {
        return write(dir, topic, bootstrapServers, influxUrl, database, numThreads, batchSize, maxBatchTime,
                extraMetricSettings, "");
    }

    /** With further {@code influxDB} settings, each line indented by two spaces. */
    static Path write(Path dir, String topic, String bootstrapServers, String influxUrl, String database,
                      int numThreads, int batchSize, int maxBatchTime, String extraMetricSettings,
                      String extraInfluxSettings) throws IOException {
        String yaml = "metricConfiguration:\n"
                + "  topic: " + topic + "\n"
                + "  groupId: 1_" + topic + "\n"
                + "  numThreads: " + numThreads + "\n"
                + "  batchSize: " + batchSize + "\n"
                + "  maxBatchTime: " + maxBatchTime + "\n"
                + extraMetricSettings
                + "kafkaConfig:\n"
                + "  bootstrapServers: " + bootstrapServers + "\n"
                + "  properties:\n"
                // A killed persister's consumers leave the group after 6 s (the broker's minimum), not 45 s.
                + "    session.timeout.ms: \"6000\"\n"
                + "    heartbeat.interval.ms: \"1000\"\n"
                + "databaseConfiguration:\n"
                + "  databaseType: influxdb\n"
                + "  maxRetryBackoff: 1\n"
                + "influxDB:\n"
                + "  url: " + influxUrl + "\n"
                + "  name: " + database + "\n"
                + extraInfluxSettings
                + "server:\n"
                + "  adminPort: 0\n"
                + "  adminHost: 127.0.0.1\n";
        Path file = dir.resolve(topic + ".yml");
        Files.writeString(file, yaml);
        return file;
    }

    /**
     * Shorter consumer sessions than {@link #write}'s 6 s (the minimum of the in-JVM broker), for a broker that
     * allows them ({@code KafkaBrokerProcess}): a killed persister's partitions move on sooner.
     */
    static void shortSessions(Path config, int sessionMillis, int heartbeatMillis) throws IOException {
        String yaml = Files.readString(config);
        String shorter = yaml.replace("session.timeout.ms: \"6000\"", "session.timeout.ms: \"" + sessionMillis + "\"")
                .replace("heartbeat.interval.ms: \"1000\"", "heartbeat.interval.ms: \"" + heartbeatMillis + "\"");
        if (shorter.equals(yaml)) {
            throw new IllegalStateException("no session settings in " + config);
        }
        Files.writeString(config, shorter);
    }
}
