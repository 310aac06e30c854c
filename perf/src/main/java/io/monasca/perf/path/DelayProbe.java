package io.monasca.perf.path;

import io.monasca.perf.monasca.MonascaApiException;
import io.monasca.perf.monasca.MonascaClient;
import io.monasca.perf.source.AgentMetrics;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The delay from the end of a daemon interval until its points are readable through the API: for every flush that
 * holds the agent's {@code upsert.received} count, it asks the API (as any reader would) every {@code poll} for that
 * count's measurement at the flush's timestamp, and notes when it first answers it. Resolution: the poll.
 */
final class DelayProbe implements AutoCloseable {
    private final MonascaClient reader;
    private final Map<String, String> dimensions;
    private final ScheduledExecutorService thread;
    private final Deque<Double> pending = new ArrayDeque<>();
    private final List<Double> delays = new ArrayList<>();
    private String lastError;
    private final Object probing = new Object();

    DelayProbe(MonascaClient reader, Map<String, String> dimensions, long pollMillis) {
        this.reader = reader;
        this.dimensions = dimensions;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "perf-path-delay");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::probe, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }

    /** A flush's points: watched when they hold the instance's received count. */
    void flushed(List<MetricPoint> points) {
        for (MetricPoint p : points) {
            if (p.name().equals(AgentMetrics.RECEIVED) && !p.dimensions().containsKey("thread")) {
                synchronized (this) {
                    pending.addLast(p.timestampMillis());
                }
                return;
            }
        }
    }

    /** Oldest first; stops at the first flush not readable yet. One caller at a time (its thread, or a drain). */
    void probe() {
        synchronized (probing) {
            probeOldest();
        }
    }

    private void probeOldest() {
        while (true) {
            Double stamp;
            synchronized (this) {
                stamp = pending.peekFirst();
            }
            if (stamp == null) return;
            long millis = (long) Math.floor(stamp);
            try {
                boolean found = !reader.measurements(AgentMetrics.RECEIVED, dimensions, Instant.ofEpochMilli(millis),
                        Instant.ofEpochMilli(millis + 1), MonascaClient.Combine.MERGE).stream().allMatch(e -> e.rows().isEmpty());
                if (!found) return;
            } catch (MonascaApiException | RuntimeException e) {
                synchronized (this) {
                    lastError = e.getMessage();
                }
                return;
            }
            synchronized (this) {
                pending.removeFirst();
                delays.add((System.currentTimeMillis() - stamp) / 1000.0);
            }
        }
    }

    /** Delays measured so far, in seconds, sorted. */
    synchronized List<Double> delays() {
        List<Double> sorted = new ArrayList<>(delays);
        Collections.sort(sorted);
        return sorted;
    }

    synchronized int unresolved() {
        return pending.size();
    }

    synchronized String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
