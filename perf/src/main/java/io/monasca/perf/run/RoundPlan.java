package io.monasca.perf.run;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What one round's persister is told: where to read (a topic of its own and a fresh consumer group, so each
 * round sees exactly its own messages) and where to write (a database of its own, or a file when there is no
 * InfluxDB), and its admin port.
 */
public record RoundPlan(String bootstrapServers, String topic, String groupId, int adminPort,
                        URI influxUrl, String database, Path outputFile, int threads, int batchSize,
                        Duration maxBatchTime) {
}
