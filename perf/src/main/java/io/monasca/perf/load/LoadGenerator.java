package io.monasca.perf.load;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends metric envelopes to a Kafka topic from several producer threads, as fast as possible or at a total rate: a
 * fixed number in one go ({@link #run}), or range after range ({@link #produce}, a window at a time) through the same
 * open producer. One Kafka producer is shared by the threads (it is thread-safe and batches better shared).
 * {@link #produced()} counts the messages the broker acknowledged.
 */
public final class LoadGenerator implements AutoCloseable {
    private final String bootstrapServers;
    private final String topic;
    private final long messages;
    private final int threads;
    private final int partitions;
    private final double ratePerSecond;
    private final EnvelopeFactory envelopes;
    private final long seed;

    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private KafkaProducer<String, String> producer;

    /**
     * @param partitions    the topic's partitions; message n goes to partition n % partitions, so every partition
     *                      (and every persister thread reading it) gets the same share, and batches fill evenly
     * @param ratePerSecond total messages per second over all threads; 0 or less means as fast as possible
     */
    public LoadGenerator(String bootstrapServers, String topic, int partitions, long messages, int threads,
                         double ratePerSecond, EnvelopeFactory envelopes, long seed) {
        if (messages < 0) throw new IllegalArgumentException("messages must be >= 0, got " + messages);
        if (threads < 1) throw new IllegalArgumentException("producer threads must be >= 1, got " + threads);
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.messages = messages;
        this.threads = threads;
        this.partitions = partitions;
        this.ratePerSecond = ratePerSecond;
        this.envelopes = envelopes;
        this.seed = seed;
    }

    /** For {@link #produce} calls: each call gives its own range, rate and seed. */
    public LoadGenerator(String bootstrapServers, String topic, int partitions, int threads, EnvelopeFactory envelopes) {
        this(bootstrapServers, topic, partitions, 0, threads, 0, envelopes, 0);
    }

    /** Messages the broker has acknowledged so far. */
    public long produced() {
        return acknowledged.get();
    }

    /** Sends every message and returns when all are acknowledged; throws the first send error. */
    public long run() throws Exception {
        try {
            return produce(0, messages, ratePerSecond, seed);
        } finally {
            close();
        }
    }

    /**
     * Sends messages number {@code first} to {@code first + count - 1} (each to partition number % partitions) at
     * {@code rate} messages/second over all threads (0 or less: as fast as possible) and returns when the broker has
     * acknowledged them all; throws the first send error. The producer stays open between calls, so a run of many
     * short windows does not pay for a new producer (and its metadata fetch) each time.
     *
     * @return the messages of this call the broker acknowledged
     */
    public long produce(long first, long count, double rate, long seed) throws Exception {
        if (count < 0) throw new IllegalArgumentException("count must be >= 0, got " + count);
        long before = acknowledged.get();
        KafkaProducer<String, String> producer = producer();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long from = first + count * t / threads;
            long end = first + count * (t + 1) / threads;
            int index = t;
            Thread worker = new Thread(() -> send(producer, from, end, rate / threads, new SplittableRandom(seed + index)),
                    "perf-producer-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        producer.flush();
        Exception error = failure.get();
        if (error != null) {
            throw new Exception("producing to Kafka topic '" + topic + "' failed: " + error.getMessage(), error);
        }
        return acknowledged.get() - before;
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties config = new Properties();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            config.put(ProducerConfig.ACKS_CONFIG, "1");
            config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            config.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
            config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
            producer = new KafkaProducer<>(config);
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }

    private void send(KafkaProducer<String, String> producer, long first, long end, double threadRate, SplittableRandom random) {
        long start = System.nanoTime();
        for (long sequence = first; sequence < end && failure.get() == null; sequence++) {
            if (threadRate > 0) {
                pace(start, sequence - first, threadRate);
            }
            producer.send(new ProducerRecord<>(topic, (int) (sequence % partitions), null, envelopes.envelope(sequence, random)), (metadata, error) -> {
                if (error == null) {
                    acknowledged.incrementAndGet();
                } else {
                    failure.compareAndSet(null, error);
                }
            });
        }
    }

    /** Waits until message number {@code sent} of this thread is due. */
    private static void pace(long startNanos, long sent, double ratePerSecond) {
        long due = startNanos + (long) (sent * 1_000_000_000L / ratePerSecond);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /** How long a paced run of {@code messages} takes at {@code ratePerSecond} (for logs). */
    public static Duration expectedDuration(long messages, double ratePerSecond) {
        return ratePerSecond <= 0 ? Duration.ZERO : Duration.ofMillis((long) (messages * 1000 / ratePerSecond));
    }
}
