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

    /** Calls that ended (returned or threw) in the interval: the ones the times are over. */
    public long ended() {
        return completed + failed;
    }
}
