package io.monasca.sample.persister.config;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * The YAML configuration, with the Java persister's section and key names where it has them
 * ({@code metricConfiguration.batchSize}, {@code numThreads}, {@code maxBatchTime}, {@code influxDB.url}...).
 * Fields hold the defaults; {@link ConfigLoader} fills and validates them.
 */
public final class PersisterConfig {

    public MetricConfiguration metricConfiguration = new MetricConfiguration();
    public KafkaConfig kafkaConfig = new KafkaConfig();
    public DatabaseConfiguration databaseConfiguration = new DatabaseConfiguration();
    public InfluxDbConfig influxDB = new InfluxDbConfig();
    public FileConfig file = new FileConfig();
    public ServerConfig server = new ServerConfig();

    public static final class MetricConfiguration {
        public String topic = "metrics";
        public String groupId = "1_metrics";
        public int numThreads = 1;
        /** Points per batch: a full batch is flushed at once. */
        public int batchSize = 20000;
        /** Seconds: an older batch is flushed even when not full. */
        public int maxBatchTime = 15;
        /** Characters: a longer Kafka message is malformed. */
        public int maxMessageSize = 65536;
    }

    public static final class KafkaConfig {
        public String bootstrapServers = "localhost:9092";
        /** Where a consumer group without committed offsets starts: earliest or latest. */
        public String autoOffsetReset = "earliest";
        /** Further consumer properties, passed to Kafka as they are; an unquoted number or boolean as its text. */
        @JsonDeserialize(contentUsing = ScalarText.class)
        public Map<String, String> properties = new LinkedHashMap<>();
    }

    public static final class DatabaseConfiguration {
        /** influxdb, or file (line protocol appended to {@code file.path}, for runs without InfluxDB). */
        public String databaseType = "influxdb";
        /** Seconds: the longest wait between two attempts to write a batch while the database fails. */
        public int maxRetryBackoff = 5;
    }

    public static final class InfluxDbConfig {
        public String url = "http://localhost:8086";
        public String name = "mon";
        /** Empty: the database's default retention policy. */
        public String retentionPolicy = "";
        /** Empty: no authentication. */
        public String user = "";
        /** Better left empty in favour of {@link #passwordFile} or the environment variable INFLUX_PASSWORD. */
        @JsonDeserialize(using = ScalarText.class)
        public String password = "";
        /** A file whose first line is the password; empty: none. */
        public String passwordFile = "";
        /** Seconds: the longest wait for InfluxDB's complete answer to a write, which is then retried. */
        public int writeTimeout = 30;
    }

    public static final class FileConfig {
        public String path = "sample-persister-metrics.lp";
    }

    public static final class ServerConfig {
        /** Port of the admin API (GET /metrics, GET /healthcheck); 0 picks a free one. */
        public int adminPort = 8091;
        public String adminHost = "0.0.0.0";
    }
}
