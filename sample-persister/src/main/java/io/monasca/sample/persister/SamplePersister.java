package io.monasca.sample.persister;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheckRegistry;

import io.monasca.sample.persister.admin.AdminServer;
import io.monasca.sample.persister.admin.HealthChecks;
import io.monasca.sample.persister.config.ConfigException;
import io.monasca.sample.persister.config.ConfigLoader;
import io.monasca.sample.persister.config.InfluxPassword;
import io.monasca.sample.persister.config.PersisterConfig;
import io.monasca.sample.persister.pipeline.MetricConsumer;
import io.monasca.sample.persister.pipeline.MetricHandler;
import io.monasca.sample.persister.pipeline.MetricMessageParser;
import io.monasca.sample.persister.repository.FileRepository;
import io.monasca.sample.persister.repository.InfluxDbRepository;
import io.monasca.sample.persister.repository.MetricRepository;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * A miniature Monasca persister: {@code numThreads} Kafka consumer threads ({@code metric-0}, {@code metric-1},
 * ...) batch metric envelopes into InfluxDB (or a file), with the Java persister's admin API.
 * Usage: {@code java -jar sample-persister.jar [server] <persister-config.yml>}.
 */
@Command(name = "sample-persister", mixinStandardHelpOptions = true,
        description = "Reads Monasca metrics from Kafka and writes them in batches to InfluxDB 1.x (or a file).")
public final class SamplePersister implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(SamplePersister.class);

    @Parameters(arity = "1..2", paramLabel = "[server] CONFIG",
            description = "The YAML configuration file, optionally after the Dropwizard-style command 'server'.")
    private List<String> arguments;

    private final List<MetricConsumer> consumers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    /** The consumers' Kafka clients, closed by their threads, or here when the start fails. */
    private final List<KafkaConsumer<String, String>> kafkaConsumers = new ArrayList<>();
    private MetricRepository repository;
    private InfluxPassword influxPassword;
    private AdminServer admin;
    private volatile boolean stopRequested;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SamplePersister()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (arguments.size() == 2 && !"server".equals(arguments.get(0))) {
            System.err.println("unknown command '" + arguments.get(0) + "': the only command is 'server'");
            return 2;
        }
        PersisterConfig config;
        try {
            config = ConfigLoader.load(Path.of(arguments.get(arguments.size() - 1)));
            influxPassword = InfluxPassword.resolve(config.influxDB, System.getenv());
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            return 2;
        }
        String startError = startOrExplain(config);
        if (startError != null) {
            System.err.println("configuration error: " + startError);
            return 2;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "shutdown"));
        for (Thread thread : threads) {
            thread.join();
        }
        if (stopRequested) {
            return 0; // the shutdown hook finishes the stop
        }
        // Without a stop request, threads end only when they failed.
        LOG.error("all consumer threads ended");
        return 1;
    }

    /**
     * Starts; a Kafka setting the client refuses or an admin address it cannot listen on closes what was created.
     *
     * @return null once started, else the error, naming the configuration key
     */
    private String startOrExplain(PersisterConfig config) {
        try {
            start(config);
            return null;
        } catch (KafkaException e) {
            closeAfterFailedStart();
            String message = reason(e);
            String key = message.contains(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) ? "kafkaConfig.bootstrapServers"
                    : "kafkaConfig.properties";
            return key + ": " + message;
        } catch (IOException e) {
            closeAfterFailedStart();
            return AdminServer.bindFailure(config.server.adminHost, config.server.adminPort, e);
        }
    }

    /** The innermost message of a Kafka client error, which names the setting ("Invalid value abc for ..."). */
    private static String reason(Throwable e) {
        String message = e.getMessage();
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                message = cause.getMessage();
            }
        }
        return message;
    }

    private void closeAfterFailedStart() {
        for (KafkaConsumer<String, String> kafkaConsumer : kafkaConsumers) {
            try {
                kafkaConsumer.close();
            } catch (RuntimeException e) {
                LOG.warn("closing a Kafka consumer failed: {}", e.getMessage());
            }
        }
        kafkaConsumers.clear();
        consumers.clear();
        if (admin != null) {
            admin.close();
        }
        if (repository != null) {
            repository.close();
        }
    }

    private void start(PersisterConfig config) throws IOException {
        MetricRegistry metrics = new MetricRegistry();
        HealthCheckRegistry healthChecks = new HealthCheckRegistry();
        repository = createRepository(config, metrics);
        PersisterConfig.MetricConfiguration settings = config.metricConfiguration;
        MetricMessageParser parser = new MetricMessageParser(settings.maxMessageSize);
        for (int i = 0; i < settings.numThreads; i++) {
            String threadId = "metric-" + i;
            MetricHandler handler = new MetricHandler(threadId, parser, repository, metrics);
            KafkaConsumer<String, String> kafkaConsumer = new KafkaConsumer<>(consumerProperties(config, threadId),
                    new StringDeserializer(), new StringDeserializer());
            kafkaConsumers.add(kafkaConsumer);
            consumers.add(new MetricConsumer(threadId, kafkaConsumer, handler, settings.topic,
                    settings.batchSize, settings.maxBatchTime, config.databaseConfiguration.maxRetryBackoff));
        }
        HealthChecks.register(healthChecks, consumers, config.kafkaConfig.bootstrapServers, repository);
        admin = new AdminServer(config.server.adminHost, config.server.adminPort, metrics, healthChecks);
        LOG.info("admin server listening on port {}", admin.port());
        LOG.info("writing to {}; reading topic {} as group {} from {} with {} threads, batchSize {}, maxBatchTime {}s",
                repository.describe(), settings.topic, settings.groupId, config.kafkaConfig.bootstrapServers,
                settings.numThreads, settings.batchSize, settings.maxBatchTime);
        for (MetricConsumer consumer : consumers) {
            Thread thread = new Thread(consumer, consumer.threadId());
            threads.add(thread);
            thread.start();
        }
    }

    private MetricRepository createRepository(PersisterConfig config, MetricRegistry metrics) {
        if ("file".equals(config.databaseConfiguration.databaseType)) {
            return new FileRepository(Path.of(config.file.path));
        }
        PersisterConfig.InfluxDbConfig influx = config.influxDB;
        if (!influx.user.isEmpty()) {
            LOG.info("authenticating to InfluxDB as user {} with the {}", influx.user, influxPassword);
        }
        return new InfluxDbRepository(influx.url, influx.name, influx.retentionPolicy, influx.user,
                influxPassword.value(), metrics, Duration.ofSeconds(influx.writeTimeout));
    }

    private static Properties consumerProperties(PersisterConfig config, String threadId) {
        Properties properties = new Properties();
        properties.putAll(config.kafkaConfig.properties);
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaConfig.bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, config.metricConfiguration.groupId);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "sample-persister-" + threadId);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.kafkaConfig.autoOffsetReset);
        // Offsets are committed by the consumer loop, after the batch they cover is written.
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return properties;
    }

    /** Graceful stop: every thread writes its batch and commits, then the admin server closes. */
    private void stop() {
        stopRequested = true;
        LOG.info("stopping: writing the last batches");
        consumers.forEach(MetricConsumer::stop);
        for (Thread thread : threads) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (admin != null) {
            admin.close();
        }
        if (repository != null) {
            repository.close();
        }
        LOG.info("stopped");
    }
}
