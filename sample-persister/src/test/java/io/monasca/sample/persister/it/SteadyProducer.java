package io.monasca.sample.persister.it;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Continuous production on its own thread: {@code perTick} envelopes ({@link Envelopes#envelope}, numbered from 0,
 * each its own InfluxDB point) every {@code tick}, through one idempotent producer ({@code acks=all}) that rides out
 * a broker restart of up to two minutes. {@link #stop()} waits for every acknowledgement; a send the broker never
 * acknowledged fails the test, so "produced" is exact: envelopes 0 to produced - 1.
 */
final class SteadyProducer implements AutoCloseable {

    private final String topic;
    private final int perTick;
    private final Duration tick;
    private final KafkaProducer<String, String> producer;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final ConcurrentLinkedQueue<Exception> failures = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile int sent;

    SteadyProducer(String bootstrapServers, String topic, int perTick, Duration tick) {
        this.topic = topic;
        this.perTick = perTick;
        this.tick = tick;
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                // A restarting broker accepts connections before it serves requests: retry soon.
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000);
        producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        thread = new Thread(this::produce, "steady-producer-" + topic);
        thread.setDaemon(true);
    }

    /** 50 envelopes every 200 ms (250 per second). */
    static SteadyProducer started(String bootstrapServers, String topic) {
        SteadyProducer producer = new SteadyProducer(bootstrapServers, topic, 50, Duration.ofMillis(200));
        producer.thread.start();
        return producer;
    }

    private void produce() {
        try {
            while (!stopped.get()) {
                for (int i = 0; i < perTick; i++) {
                    int n = sent;
                    producer.send(new ProducerRecord<>(topic, null, "k" + n, Envelopes.envelope(n)), (metadata, error) -> {
                        if (error == null) {
                            acknowledged.incrementAndGet();
                        } else {
                            failures.add(error);
                        }
                    });
                    sent = n + 1;
                }
                Thread.sleep(tick.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    /** Envelopes acknowledged by the broker so far. */
    int acknowledged() {
        return acknowledged.get();
    }

    /**
     * Waits until production goes on and the metrics produced from now on are being stored: until {@code stored}
     * reaches what was acknowledged so far plus ten ticks' worth.
     */
    void awaitProgress(String what, Duration timeout, LongSupplier stored, Supplier<String> details) {
        long target = acknowledged() + 10L * perTick;
        Waits.until(what + " (" + target + " stored)", timeout, () -> stored.getAsLong() >= target, details);
    }

    /** Stops sending, waits for the outstanding acknowledgements and returns how many envelopes were produced. */
    int stop() throws InterruptedException {
        stopped.set(true);
        thread.join(TimeUnit.MINUTES.toMillis(3));
        producer.flush();
        producer.close(Duration.ofSeconds(30));
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " of " + sent + " sends were never acknowledged, first: "
                    + failures.peek(), failures.peek());
        }
        if (acknowledged.get() != sent) {
            throw new AssertionError(acknowledged.get() + " of " + sent + " sends acknowledged");
        }
        return sent;
    }

    @Override
    public void close() {
        stopped.set(true);
        thread.interrupt();
        producer.close(Duration.ZERO);
    }
}
