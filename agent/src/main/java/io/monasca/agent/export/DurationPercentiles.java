package io.monasca.agent.export;

import io.monasca.agent.config.Percentile;
import io.monasca.agent.recording.CellReading;
import io.monasca.agent.recording.Histogram;

import java.util.ArrayList;
import java.util.List;

/**
 * The histograms of one series' cells in one interval, merged, and the percentiles read from them in one walk.
 * Nearest rank: the p-th percentile of n durations is the r-th smallest, r = ceil(p/100 * n) (at least 1); what is
 * reported lies within {@link Histogram#ERROR_BOUND} of it (and is exact for ranks 1 and n: the minimum and the maximum). The merge touches only the buckets the cells used.
 */
final class DurationPercentiles {
    private final List<CellReading> parts = new ArrayList<CellReading>();
    private int lowest = Integer.MAX_VALUE;
    private int highest = -1;
    private boolean lost;

    void add(CellReading r) {
        if (r.histogramLost()) {
            lost = true;
        }
        int n = r.buckets();
        if (n > 0) {
            parts.add(r);
            lowest = Math.min(lowest, r.bucket(0));
            highest = Math.max(highest, r.bucket(n - 1));
        }
    }

    /** A cell's histogram missed calls: no percentiles for this series this interval. */
    boolean lost() {
        return lost;
    }

    /**
     * The durations (ns) at the given percentiles (ascending), each within the bound; null when no duration was
     * recorded or a histogram is incomplete.
     */
    double[] values(List<Percentile> percentiles, long minNanos, long maxNanos) {
        if (lost || parts.isEmpty() || percentiles.isEmpty()) {
            return null;
        }
        long[] counts = new long[highest - lowest + 1];
        long total = 0;
        for (CellReading r : parts) {
            for (int i = 0; i < r.buckets(); i++) {
                counts[r.bucket(i) - lowest] += r.bucketCount(i);
                total += r.bucketCount(i);
            }
        }
        double[] values = new double[percentiles.size()];
        int next = 0;
        long rank = percentiles.get(0).rank(total);
        long seen = 0;
        for (int i = 0; i < counts.length && next < values.length; i++) {
            seen += counts[i];
            while (next < values.length && seen >= rank) {
                // the first and the last rank are the exact minimum and maximum
                values[next++] = rank == total ? maxNanos : rank == 1 ? minNanos
                        : Histogram.value(lowest + i, minNanos, maxNanos);
                if (next < values.length) {
                    rank = percentiles.get(next).rank(total);
                }
            }
        }
        return values;
    }
}
