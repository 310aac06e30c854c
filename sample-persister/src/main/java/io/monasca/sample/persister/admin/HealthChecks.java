package io.monasca.sample.persister.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;

import io.monasca.sample.persister.pipeline.MetricConsumer;
import io.monasca.sample.persister.repository.MetricRepository;
import io.monasca.sample.persister.repository.RepositoryException;

/**
 * What {@code GET /healthcheck} reports, each check saying why when unhealthy (HTTP 500): the consumer threads
 * run, every consumer hears from Kafka, and the database takes writes and answers.
 */
public final class HealthChecks {

    /** Three heartbeats (3 s by default) without a response from any broker. */
    static final long KAFKA_SILENCE_MILLIS = TimeUnit.SECONDS.toMillis(10);

    private HealthChecks() {
    }

    public static void register(HealthCheckRegistry registry, List<MetricConsumer> consumers, String kafkaServers,
                                MetricRepository repository) {
        registry.register("consumers", check(() -> {
            long running = consumers.stream().filter(MetricConsumer::isRunning).count();
            String message = running + " of " + consumers.size() + " consumer threads running";
            return running == consumers.size() ? HealthCheck.Result.healthy(message) : HealthCheck.Result.unhealthy(message);
        }));
        registry.register("kafka", check(() -> {
            List<String> silent = new ArrayList<>();
            for (MetricConsumer consumer : consumers) {
                long millis = consumer.kafkaSilentMillis();
                if (millis < 0) {
                    silent.add(consumer.threadId() + ": no answer yet");
                } else if (millis > KAFKA_SILENCE_MILLIS) {
                    silent.add(consumer.threadId() + ": no answer for " + millis / 1000 + " s");
                }
            }
            return silent.isEmpty() ? HealthCheck.Result.healthy("Kafka at " + kafkaServers + " answers")
                    : HealthCheck.Result.unhealthy("Kafka at " + kafkaServers + " does not answer (" + String.join(", ", silent) + ")");
        }));
        registry.register("database", check(() -> {
            String failure = consumers.stream().map(MetricConsumer::writeFailure).filter(Objects::nonNull).findFirst().orElse(null);
            if (failure != null) {
                return HealthCheck.Result.unhealthy("writes to " + repository.describe() + " fail, retrying: " + failure);
            }
            try {
                repository.check();
            } catch (RepositoryException e) {
                return HealthCheck.Result.unhealthy(e.getMessage());
            }
            return HealthCheck.Result.healthy(repository.describe() + ": reachable, no write failing");
        }));
    }

    private static HealthCheck check(Supplier<HealthCheck.Result> check) {
        return new HealthCheck() {
            @Override
            protected Result check() {
                return check.get();
            }
        };
    }
}
