package io.monasca.sample.persister.pipeline;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Whether a consumer still hears from Kafka, read from its client's count of responses from brokers
 * ({@code consumer-metrics: response-total}). While a broker answers, the count moves at least once a heartbeat
 * (3 s by default), even with every partition paused or none assigned; with no broker reachable it stands still,
 * while {@code poll} just returns nothing. Reading the metric is thread-safe and cheap (no request is sent).
 */
public final class BrokerContact {

    private final Metric responses;
    private double seen;
    private long movedNanos = System.nanoTime();

    /** Call before the consumer's thread starts: the client's metrics may be read only from one thread at a time. */
    public BrokerContact(Consumer<?, ?> consumer) {
        this.responses = consumer.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("response-total") && e.getKey().group().equals("consumer-metrics"))
                .map(Map.Entry<MetricName, ? extends Metric>::getValue).findFirst().orElse(null);
    }

    /**
     * @return milliseconds since the count of responses last moved (as sampled by this and earlier calls), -1 when
     *         no broker has answered yet, 0 when the client has no such metric (nothing to say)
     */
    public synchronized long silentMillis() {
        if (responses == null) {
            return 0;
        }
        double now = ((Number) responses.metricValue()).doubleValue();
        if (now != seen) {
            seen = now;
            movedNanos = System.nanoTime();
        }
        return seen == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - movedNanos);
    }
}
