package io.monasca.agent.export;

import io.monasca.agent.recording.CellReading;

/** Sums of cell readings for one series in one interval. */
final class Totals {
    long received;
    long completed;
    long failed;
    long items;
    long totalNanos;
    long minNanos = Long.MAX_VALUE;
    long maxNanos = Long.MIN_VALUE;
    /** Null when this series sends no percentiles. */
    final DurationPercentiles percentiles;

    Totals(boolean withPercentiles) {
        this.percentiles = withPercentiles ? new DurationPercentiles() : null;
    }

    void add(CellReading r) {
        if (percentiles != null) {
            percentiles.add(r);
        }
        received += r.received;
        completed += r.completed;
        failed += r.failed;
        items += r.items;
        if (r.ended() > 0) {
            totalNanos += r.totalNanos;
            minNanos = Math.min(minNanos, r.minNanos);
            maxNanos = Math.max(maxNanos, r.maxNanos);
        }
    }

    long ended() {
        return completed + failed;
    }
}
