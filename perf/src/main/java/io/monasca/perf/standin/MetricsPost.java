package io.monasca.perf.standin;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * monasca-api's {@code POST /v2.0/metrics}: a JSON list of metrics (or one metric), each checked by
 * {@link MetricValidation} (one bad metric: 422 for the whole batch, nothing written), then one Kafka message per
 * metric, without a key, to the topic, holding monasca-api's envelope
 * {@code {"metric": <as posted>, "meta": {"tenantId", "region"}, "creation_time": <s>}}. A Kafka failure answers
 * 503; the messages already sent stay sent, as in monasca-api.
 */
final class MetricsPost implements AutoCloseable {
    /** Python's json reads NaN and Infinity: they reach validation (422), not the parser (400). */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /** What the API answers: status and, for an error, the reason. */
    record Answer(int status, String title, String description) {
    }

    private final KafkaProducer<String, String> producer;
    private volatile String topic;
    private final String region;
    private final long sendTimeoutMillis;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong rejectedMetrics = new AtomicLong();
    private final AtomicLong kafkaFailures = new AtomicLong();

    /** From now on, POSTs write to {@code topic}. */
    void topic(String topic) {
        this.topic = topic;
    }

    /** @param sendTimeout how long one POST waits for Kafka before it answers 503 */
    MetricsPost(String bootstrapServers, String topic, String region, java.time.Duration sendTimeout) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(sendTimeout.toMillis()));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(500, sendTimeout.toMillis() / 2)));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(sendTimeout.toMillis()));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        this.producer = new KafkaProducer<>(p);
        this.topic = topic;
        this.region = region;
        this.sendTimeoutMillis = sendTimeout.toMillis() + 1000;
    }

    Answer post(String contentType, byte[] body, String tenantId) {
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            return new Answer(400, "Bad Request", "Bad request: Content-Type must be application/json, not " + contentType);
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return new Answer(400, "Bad Request", "Request body is not valid JSON");
        }
        if (root == null) return new Answer(400, "Bad Request", "Request body is empty");
        List<JsonNode> metrics = new ArrayList<>();
        if (root.isArray()) root.forEach(metrics::add);
        else metrics.add(root);
        for (JsonNode metric : metrics) {
            String problem = MetricValidation.problem(metric);
            if (problem != null) {
                rejectedMetrics.addAndGet(metrics.size());
                return new Answer(422, "Unprocessable Entity", problem);
            }
        }
        long creation = System.currentTimeMillis() / 1000;
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try {
            for (JsonNode metric : metrics) {
                ObjectNode envelope = JSON.createObjectNode();
                envelope.set("metric", metric);
                envelope.putObject("meta").put("tenantId", tenantId).put("region", region);
                envelope.put("creation_time", creation);
                sends.add(producer.send(new ProducerRecord<>(topic, JSON.writeValueAsString(envelope))));
            }
            for (Future<RecordMetadata> send : sends) {
                send.get(sendTimeoutMillis, TimeUnit.MILLISECONDS);
                written.incrementAndGet();
            }
        } catch (ExecutionException | TimeoutException | RuntimeException | IOException e) {
            kafkaFailures.incrementAndGet();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            return new Answer(503, "Service Unavailable", "Kafka is not available: " + cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(503, "Service Unavailable", "interrupted while writing to Kafka");
        }
        return new Answer(204, null, null);
    }

    /** Kafka messages written (each a metric acknowledged by the broker). */
    long written() {
        return written.get();
    }

    long rejectedMetrics() {
        return rejectedMetrics.get();
    }

    long kafkaFailures() {
        return kafkaFailures.get();
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(2));
    }
}
