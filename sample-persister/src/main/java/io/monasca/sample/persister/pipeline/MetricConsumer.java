package io.monasca.sample.persister.pipeline;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.monasca.sample.persister.repository.RepositoryException;

/**
 * One consumer thread's loop: poll, hand each message to the {@link MetricHandler}, flush when the batch is
 * full or older than {@code maxBatchTime}, and commit the offsets a batch covers only after it is written
 * (at-least-once). While the database fails, the partitions are paused and the write is retried with
 * exponential backoff; nothing is skipped.
 */
public final class MetricConsumer implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricConsumer.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final long INITIAL_BACKOFF_MILLIS = 100;
    /** How long a stop waits for a failing database before it gives up (the batch is then re-read later). */
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String threadId;
    private final Consumer<String, String> consumer;
    private final MetricHandler handler;
    private final String topic;
    private final int batchSize;
    private final long maxBatchTimeNanos;
    private final long maxBackoffMillis;
    /** Next offset to commit per partition, for the messages handled since the last commit. */
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private final RateLimitedLog malformedLog = new RateLimitedLog(LOG, 10, TimeUnit.SECONDS);
    private volatile boolean stopping;
    private volatile long stopRequestedNanos;
    private volatile boolean running;
    private final BrokerContact brokerContact;
    /** While a batch is being retried: why its last write failed; null once written. */
    private volatile String writeFailure;
    private boolean retrying;
    private long lastCommitNanos = System.nanoTime();

    public MetricConsumer(String threadId, Consumer<String, String> consumer, MetricHandler handler, String topic,
                          int batchSize, int maxBatchTimeSeconds, int maxBackoffSeconds) {
        this.threadId = threadId;
        this.consumer = consumer;
        this.handler = handler;
        this.topic = topic;
        this.batchSize = batchSize;
        this.maxBatchTimeNanos = TimeUnit.SECONDS.toNanos(maxBatchTimeSeconds);
        this.maxBackoffMillis = TimeUnit.SECONDS.toMillis(maxBackoffSeconds);
        this.brokerContact = new BrokerContact(consumer);
    }

    @Override
    public void run() {
        running = true;
        try {
            consumer.subscribe(List.of(topic), new FlushOnRevoke());
            while (!stopping) {
                brokerContact.silentMillis(); // a sample per poll, so the health check sees each response count move
                for (ConsumerRecord<String, String> record : consumer.poll(POLL_TIMEOUT)) {
                    if (handler.onEvent(record.value()) == 0) {
                        malformedLog.warn("{}: skipped malformed message at {}-{} offset {}: {}", threadId,
                                record.topic(), record.partition(), record.offset(), handler.lastRejection());
                    }
                    pending.put(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                    if (handler.batchSize() >= batchSize && !flushAndCommit()) {
                        return;
                    }
                }
                if (flushDue() && !flushAndCommit()) {
                    return;
                }
            }
            flushAndCommit();
            LOG.info("{}: stopped after the last batch was written and committed", threadId);
        } catch (RuntimeException e) {
            LOG.error("{}: consumer thread failed; uncommitted messages will be read again", threadId, e);
        } finally {
            running = false;
            closeConsumer();
        }
    }

    private boolean flushDue() {
        long age = handler.batchAgeNanos();
        if (age >= maxBatchTimeNanos) {
            return true;
        }
        // Offsets of skipped messages alone are committed as often as a batch would be.
        return handler.batchSize() == 0 && !pending.isEmpty() && System.nanoTime() - lastCommitNanos >= maxBatchTimeNanos;
    }

    /**
     * Writes the batch (retrying with backoff, partitions paused, while the database fails), then commits.
     *
     * @return false when a stop gave up waiting for the database: nothing was committed
     */
    private boolean flushAndCommit() {
        long backoff = INITIAL_BACKOFF_MILLIS;
        int failures = 0;
        while (handler.batchSize() > 0) {
            try {
                handler.flush();
            } catch (RepositoryException e) {
                failures++;
                writeFailure = e.getMessage();
                if (failures == 1) {
                    LOG.warn("{}: writing {} points failed, partitions paused, retrying: {}", threadId,
                            handler.batchSize(), e.getMessage());
                } else if (failures % 10 == 0) {
                    LOG.warn("{}: still failing after {} attempts: {}", threadId, failures, e.getMessage());
                }
                if (stopping && System.nanoTime() - stopRequestedNanos > STOP_GRACE_NANOS) {
                    LOG.error("{}: stopping without writing {} points; they stay uncommitted in Kafka", threadId,
                            handler.batchSize());
                    return false;
                }
                waitPaused(backoff);
                backoff = Math.min(backoff * 2, maxBackoffMillis);
            }
        }
        writeFailure = null;
        if (failures > 0) {
            LOG.info("{}: batch written after {} failed attempts, resuming", threadId, failures);
            consumer.resume(consumer.paused());
        }
        commit();
        return true;
    }

    /**
     * Waits by polling paused partitions, so the consumer keeps its group membership meanwhile. Partitions
     * assigned by a rebalance during the poll are paused by {@link FlushOnRevoke#onPartitionsAssigned}; should a
     * poll still return records, each partition is sought back to its first returned offset, so they are read
     * again once the batch is written.
     */
    private void waitPaused(long millis) {
        retrying = true;
        try {
            consumer.pause(consumer.assignment());
            ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(millis));
            if (!records.isEmpty()) {
                for (TopicPartition partition : records.partitions()) {
                    List<ConsumerRecord<String, String>> returned = records.records(partition);
                    consumer.seek(partition, returned.get(0).offset());
                }
                consumer.pause(records.partitions());
                LOG.info("{}: a poll while retrying returned records from {}; they will be read again", threadId,
                        records.partitions());
            }
        } finally {
            retrying = false;
        }
    }

    private void commit() {
        lastCommitNanos = System.nanoTime();
        if (pending.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(new HashMap<>(pending));
        } catch (KafkaException e) {
            // The points are stored; their messages may be read and written again (at-least-once).
            LOG.warn("{}: committing offsets failed: {}", threadId, e.getMessage());
        }
        pending.clear();
    }

    /** Asks the loop to write its batch, commit and end; returns at once. */
    public void stop() {
        stopRequestedNanos = System.nanoTime();
        stopping = true;
    }

    public boolean isRunning() {
        return running;
    }

    /** See {@link BrokerContact#silentMillis()}. */
    public long kafkaSilentMillis() {
        return brokerContact.silentMillis();
    }

    /** Why the batch being retried could not be written, or null when the last write succeeded. */
    public String writeFailure() {
        return writeFailure;
    }

    public String threadId() {
        return threadId;
    }

    private void closeConsumer() {
        try {
            consumer.close();
        } catch (RuntimeException e) {
            LOG.warn("{}: closing the consumer failed: {}", threadId, e.getMessage());
        }
    }

    /** Before partitions go to another consumer, write and commit what was read from them. */
    private final class FlushOnRevoke implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!retrying && handler.batchSize() > 0) {
                try {
                    handler.flush();
                } catch (RepositoryException e) {
                    // Kept in the batch and written later; the new owner reads these messages again too.
                    LOG.warn("{}: could not write the batch before a rebalance: {}", threadId, e.getMessage());
                }
            }
            if (handler.batchSize() == 0) {
                commit();
            }
            // Never commit for partitions this consumer no longer owns.
            pending.keySet().removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.info("{}: assigned {}", threadId, partitions);
            if (retrying) {
                // The batch is still being retried: read nothing new until it is written.
                consumer.pause(partitions);
            }
        }
    }
}
