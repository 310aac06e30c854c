package io.monasca.perf.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;

/** Writes one round's persister-config.yml for the sample persister (the Java persister's key names). */
public final class PersisterConfig {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private PersisterConfig() {
    }

    public static Path write(Path folder, RoundPlan plan) throws IOException {
        ObjectNode root = YAML.createObjectNode();
        ObjectNode metrics = root.putObject("metricConfiguration");
        metrics.put("topic", plan.topic());
        metrics.put("groupId", plan.groupId());
        metrics.put("numThreads", plan.threads());
        metrics.put("batchSize", plan.batchSize());
        metrics.put("maxBatchTime", Math.max(1, plan.maxBatchTime().toSeconds()));
        ObjectNode kafka = root.putObject("kafkaConfig");
        kafka.put("bootstrapServers", plan.bootstrapServers());
        kafka.put("autoOffsetReset", "earliest");
        if (plan.influxUrl() != null) {
            root.putObject("databaseConfiguration").put("databaseType", "influxdb");
            root.putObject("influxDB").put("url", plan.influxUrl().toString()).put("name", plan.database());
        } else {
            root.putObject("databaseConfiguration").put("databaseType", "file");
            root.putObject("file").put("path", plan.outputFile().toString());
        }
        root.putObject("server").put("adminPort", plan.adminPort()).put("adminHost", "127.0.0.1");
        Path file = folder.resolve("persister-config.yml");
        YAML.writeValue(file.toFile(), root);
        return file;
    }
}
