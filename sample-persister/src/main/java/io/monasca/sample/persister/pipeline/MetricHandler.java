package io.monasca.sample.persister.pipeline;

import java.util.ArrayList;
import java.util.List;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

import io.monasca.sample.persister.repository.MetricRepository;
import io.monasca.sample.persister.repository.Point;
import io.monasca.sample.persister.repository.RepositoryException;

/**
 * The batch of one consumer thread, shaped like the Java persister's MetricHandler: {@link #process} is the
 * per-message upsert, {@link #flushRepository} the batch flush (the two methods the agent times), and
 * {@link #onEvent} / {@link #flush} do the admin-API metering around them as its FlushableHandler does.
 * Not thread-safe: one handler per thread.
 */
public final class MetricHandler {

    /** The Java persister's metric name prefix, kept so its tools (persister_perf.sh) read ours unchanged. */
    static final String METRIC_PREFIX = "monasca.persister.pipeline.event.MetricHandler";

    private final MetricMessageParser parser;
    private final MetricRepository repository;
    private final List<Point> batch = new ArrayList<>();
    private final Meter eventsProcessed;
    private final Meter flushMeter;
    private final Timer flushTimer;
    private final Counter addedToBatch;
    private final Counter malformed;
    private long batchStartNanos;
    private String lastRejection;

    public MetricHandler(String threadId, MetricMessageParser parser, MetricRepository repository,
                         MetricRegistry registry) {
        this.parser = parser;
        this.repository = repository;
        String prefix = METRIC_PREFIX + "[" + threadId + "].";
        this.eventsProcessed = registry.meter(prefix + "events-processed-meter");
        this.flushMeter = registry.meter(prefix + "flush-meter");
        this.flushTimer = registry.timer(prefix + "flush-timer");
        this.addedToBatch = registry.counter(prefix + "metrics-added-to-batch-counter");
        this.malformed = registry.counter(prefix + "malformed-messages-counter");
    }

    /** One Kafka message: the upsert, metered once whatever its outcome. */
    public int onEvent(String message) {
        int accepted = process(message);
        eventsProcessed.mark();
        return accepted;
    }

    /**
     * Parses and validates one message, an envelope or a JSON array of envelopes, and adds its metrics to the
     * batch.
     *
     * @return the number of metrics added (1 for a single envelope), 0 when the message was malformed (see
     *         {@link #lastRejection()})
     */
    public int process(String message) {
        List<Point> points;
        try {
            points = parser.parseAll(message);
        } catch (MalformedMessageException e) {
            malformed.inc();
            lastRejection = e.getMessage();
            return 0;
        }
        if (batch.isEmpty()) {
            batchStartNanos = System.nanoTime();
        }
        batch.addAll(points);
        addedToBatch.inc(points.size());
        return points.size();
    }

    /** Writes the batch, timed and metered; on failure the batch is kept for the next attempt. */
    public int flush() throws RepositoryException {
        Timer.Context timing = flushTimer.time();
        int written = flushRepository();
        timing.stop();
        flushMeter.mark(written);
        return written;
    }

    /**
     * Writes the current batch to the repository and empties it.
     *
     * @return the number of points written
     */
    public int flushRepository() throws RepositoryException {
        if (batch.isEmpty()) {
            return 0;
        }
        int written = repository.write(batch);
        batch.clear();
        return written;
    }

    public int batchSize() {
        return batch.size();
    }

    /** Nanoseconds since the first point of the current batch was added; 0 when the batch is empty. */
    public long batchAgeNanos() {
        return batch.isEmpty() ? 0 : System.nanoTime() - batchStartNanos;
    }

    /** Why the last rejected message was rejected. */
    public String lastRejection() {
        return lastRejection;
    }
}
