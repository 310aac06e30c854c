package io.monasca.agent.recording;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * Timing state of one operation on one thread.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>Only the owner thread writes a cell (the advice runs on the thread making the call), so the hot path needs
 *       no read-modify-write atomics and no lock.</li>
 *   <li>Results of ended calls go into one of two slots, chosen by the parity of {@link Recorder}'s interval epoch.
 *       While writing a slot the owner keeps {@link #seq} odd. The store that makes it odd is volatile and comes
 *       before the owner reads the epoch; the exporter flips the epoch and only then reads {@code seq}. So once
 *       the exporter has seen {@code seq} even (or moved past an odd value), no write to the closed epoch's slot
 *       can follow: every call is counted and timed in the same interval.</li>
 *   <li>The slot of the closed epoch is reset lazily by the owner when it next writes that slot, two epochs later,
 *       after the exporter has read it. The exporter never writes a slot.</li>
 *   <li>{@link #started} is cumulative and written with ordered stores; the exporter turns it into deltas.</li>
 * </ul>
 */
public final class Cell {
    static final int STAMP = 0;
    static final int COMPLETED = 1;
    static final int FAILED = 2;
    static final int ITEMS = 3;
    static final int TOTAL_NANOS = 4;
    static final int MIN_NANOS = 5;
    static final int MAX_NANOS = 6;
    static final int SLOT_SIZE = 8;

    private static final AtomicLongFieldUpdater<Cell> STARTED = AtomicLongFieldUpdater.newUpdater(Cell.class, "started");
    private static final AtomicLongFieldUpdater<Cell> SEQ = AtomicLongFieldUpdater.newUpdater(Cell.class, "seq");

    final int operation;
    final WeakReference<Thread> owner;

    /**
     * Owner thread only: a call of this operation is being timed on this thread. Public because the woven exit code
     * clears it itself, before any call that a StackOverflowError could prevent: a flag left set would stop timing
     * on this thread for good.
     */
    public boolean active;
    long startNanos;

    volatile long started;
    volatile long seq;
    final long[] slots = new long[2 * SLOT_SIZE];

    // Exporter thread only.
    long exportedStarted;
    String lastThreadName;
    /** An odd sequence number the exporter already waited for in vain (its writer died mid-update). */
    long stuckSeq = -1;

    Cell(int operation, Thread owner) {
        this.operation = operation;
        this.owner = new WeakReference<Thread>(owner);
        this.lastThreadName = owner.getName();
        slots[STAMP] = -1;
        slots[SLOT_SIZE + STAMP] = -1;
    }

    void countStart() {
        STARTED.lazySet(this, started + 1);
    }

    void recordEnd(long nanos, boolean completed, long items) {
        long s = seq;
        if ((s & 1) != 0) {
            s++; // an earlier update was cut short (StackOverflowError): start from even again
        }
        seq = s + 1; // volatile store before the epoch read: see the class comment
        int epoch = Recorder.epoch;
        long[] a = slots;
        int b = (epoch & 1) * SLOT_SIZE;
        if (a[b + STAMP] != epoch) {
            a[b + STAMP] = epoch;
            a[b + COMPLETED] = 0;
            a[b + FAILED] = 0;
            a[b + ITEMS] = 0;
            a[b + TOTAL_NANOS] = 0;
            a[b + MIN_NANOS] = Long.MAX_VALUE;
            a[b + MAX_NANOS] = Long.MIN_VALUE;
        }
        if (completed) {
            a[b + COMPLETED]++;
            a[b + ITEMS] += items;
        } else {
            a[b + FAILED]++;
        }
        a[b + TOTAL_NANOS] += nanos;
        if (nanos < a[b + MIN_NANOS]) {
            a[b + MIN_NANOS] = nanos;
        }
        if (nanos > a[b + MAX_NANOS]) {
            a[b + MAX_NANOS] = nanos;
        }
        SEQ.lazySet(this, s + 2);
    }

    /** Exporter side, for a cell whose thread has ended: whether its last calls ended in {@code epoch}. */
    boolean wroteIn(int epoch) {
        return slots[(epoch & 1) * SLOT_SIZE + STAMP] == epoch;
    }

    /**
     * Exporter side: waits until no write that may have seen the closed epoch is still in progress. Returns false
     * when the writer did not finish in time; that odd value is then never waited for again.
     */
    boolean awaitQuiescence(long timeoutNanos) {
        long s = seq;
        if ((s & 1) == 0 || s == stuckSeq) {
            return (s & 1) == 0;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        while (seq == s) {
            if (System.nanoTime() - deadline > 0) {
                stuckSeq = s;
                return false;
            }
            Thread.yield();
        }
        return true;
    }
}
