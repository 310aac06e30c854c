package io.monasca.agent.recording;

/** What one (operation, thread) cell recorded in one closed interval. Times are in nanoseconds. */
public final class CellReading {
    public final int operation;
    public final String threadName;
    public final long received;
    public final long completed;
    public final long failed;
    public final long items;
    public final long totalNanos;
    /** Meaningful only when {@link #ended()} is positive. */
    public final long minNanos;
    public final long maxNanos;
    /** The thread has ended and this was the cell's last reading. */
    public final boolean last;
    /** Non-empty histogram buckets ({@link Histogram}) in ascending order, and their counts; empty without. */
    private int[] buckets = new int[0];
    private long[] bucketCounts = new long[0];
    /** The cell's histogram missed calls this interval (its carry table was full): no percentiles from it. */
    private boolean histogramLost;

    CellReading(int operation, String threadName, long received, long completed, long failed, long items,
                long totalNanos, long minNanos, long maxNanos, boolean last) {
        this.operation = operation;
        this.threadName = threadName;
        this.received = received;
        this.completed = completed;
        this.failed = failed;
        this.items = items;
        this.totalNanos = totalNanos;
        this.minNanos = minNanos;
        this.maxNanos = maxNanos;
        this.last = last;
    }

    void histogram(int[] buckets, long[] counts, boolean lost) {
        this.buckets = buckets;
        this.bucketCounts = counts;
        this.histogramLost = lost;
    }

    public int buckets() {
        return buckets.length;
    }

    public int bucket(int i) {
        return buckets[i];
    }

    public long bucketCount(int i) {
        return bucketCounts[i];
    }

    public boolean histogramLost() {
        return histogramLost;
    }

    /** Calls that ended (returned or threw) in the interval: the ones the times are over. */
    public long ended() {
        return completed + failed;
    }
}
