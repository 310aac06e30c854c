package io.monasca.perf.path;

import io.monasca.perf.monasca.MonascaApiException;
import io.monasca.perf.monasca.MonascaClient;
import io.monasca.perf.source.AgentMetrics;
import io.monasca.perf.source.MetricPoint;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The delay from the end of a daemon interval (its flush) until its points are readable through the API: for every
 * flush that holds the agent's {@code upsert.received} count, {@link #probe} asks the API (as any reader would) for
 * that count's measurement at the flush's timestamp, every {@code poll}, and notes when it first answers it. It is
 * called only between windows, after a post, so that its queries never run while a window is measured; resolution:
 * the poll.
 */
final class DelayProbe {
    private final MonascaClient reader;
    private final Map<String, String> dimensions;
    private final long pollMillis;
    private final Deque<Double> pending = new ArrayDeque<>();
    private final List<Double> delays = new ArrayList<>();
    private String lastError;

    DelayProbe(MonascaClient reader, Map<String, String> dimensions, long pollMillis) {
        this.reader = reader;
        this.dimensions = dimensions;
        this.pollMillis = pollMillis;
    }

    /** A flush's points: watched when they hold the instance's received count. */
    synchronized void flushed(List<MetricPoint> points) {
        for (MetricPoint p : points) {
            if (p.name().equals(AgentMetrics.RECEIVED) && !p.dimensions().containsKey("thread")) {
                pending.addLast(p.timestampMillis());
                return;
            }
        }
    }

    /**
     * Asks the API, oldest flush first, until every watched flush is readable or {@code limit} has passed; returns
     * how many are still not readable.
     */
    synchronized int probe(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!pending.isEmpty()) {
            double stamp = pending.peekFirst();
            long millis = (long) Math.floor(stamp);
            boolean found = false;
            try {
                found = !reader.measurements(AgentMetrics.RECEIVED, dimensions, Instant.ofEpochMilli(millis),
                        Instant.ofEpochMilli(millis + 1), MonascaClient.Combine.MERGE).stream().allMatch(e -> e.rows().isEmpty());
            } catch (MonascaApiException | RuntimeException e) {
                lastError = e.getMessage();
            }
            if (found) {
                pending.removeFirst();
                delays.add((System.currentTimeMillis() - stamp) / 1000.0);
            } else {
                if (System.nanoTime() > deadline) break;
                Thread.sleep(pollMillis);
            }
        }
        return pending.size();
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
}
