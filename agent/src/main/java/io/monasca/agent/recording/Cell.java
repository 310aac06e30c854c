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
 *   <li>The duration histogram follows the same rules: each slot has its own half of {@link #counts} and its own
 *       carries, written by the owner inside the odd {@code seq} window, last of all the slot's fields, read by the
 *       exporter for the closed epoch only, cleared lazily by the owner with the rest of the slot. So a call's
 *       duration is in the percentiles of exactly the interval that counts the call.</li>
 * </ul>
 */
public final class Cell extends WeakReference<Thread> {
    static final int STAMP = 0;
    static final int COMPLETED = 1;
    static final int FAILED = 2;
    static final int ITEMS = 3;
    static final int TOTAL_NANOS = 4;
    static final int MIN_NANOS = 5;
    static final int MAX_NANOS = 6;
    /** Entries of the slot's carry table in use. */
    static final int CARRIES_USED = 7;
    /** Non-zero when a carry found no room: the slot's histogram is incomplete, its percentiles are not sent. */
    static final int HISTOGRAM_LOST = 8;
    static final int SLOT_SIZE = 9;

    /**
     * Carry table entries per slot. A bucket's two-byte count carries into the table at its 65,536th call in one
     * interval; the table is full only when more than this many buckets (each about 2 % wide) get that many calls
     * from one thread in one interval: some 4 million calls spread over a factor of two in duration.
     */
    public static final int CARRY_ENTRIES = 64;
    /** Carry entry: bucket + 1 in the high bits, carries (of 65,536 calls) in the low ones. */
    static final int CARRY_BITS = 20;
    static final int CARRY_MASK = (1 << CARRY_BITS) - 1;

    private static final AtomicLongFieldUpdater<Cell> STARTED = AtomicLongFieldUpdater.newUpdater(Cell.class, "started");
    private static final AtomicLongFieldUpdater<Cell> SEQ = AtomicLongFieldUpdater.newUpdater(Cell.class, "seq");

    final int operation;
    /** The owner thread's entry in the operation's {@link ThreadIndex}; the owner itself is this reference's referent. */
    final int threadEntry;

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
    /**
     * Duration histogram, one half per slot ({@link Histogram#BUCKETS} counts each, modulo 65,536: the carries say
     * how many times each wrapped), or null when percentiles are off. Two bytes a count keep a cell within 8 KiB.
     */
    final char[] counts;
    final int[] carries;

    // Exporter thread only.
    long exportedStarted;
    String lastThreadName;
    /** An odd sequence number the exporter already waited for in vain (its writer died mid-update). */
    long stuckSeq = -1;

    Cell(int operation, Thread owner, boolean histogram) {
        super(owner);
        this.operation = operation;
        this.counts = histogram ? new char[2 * Histogram.BUCKETS] : null;
        this.carries = histogram ? new int[2 * CARRY_ENTRIES] : null;
        this.threadEntry = ThreadIndex.entryOf(owner);
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
        if (a[b + STAMP] == epoch) {
            add(a, b, epoch, nanos, completed, items);
        } else {
            // the first end in this slot's epoch: out of line, and nothing but s is needed after it, so the JIT keeps
            // the common path's values in registers instead of saving them around a call
            firstInEpoch(epoch, nanos, completed, items);
        }
        SEQ.lazySet(this, s + 2);
    }

    private void firstInEpoch(int epoch, long nanos, boolean completed, long items) {
        resetSlot(epoch);
        add(slots, (epoch & 1) * SLOT_SIZE, epoch, nanos, completed, items);
    }

    /**
     * Owner only, inside the odd {@code seq} window: one ended call into the slot at {@code b}. (The duration's bucket
     * is computed here, not before the fence: side by side, 1.3 ns per call less.)
     */
    private void add(long[] a, int b, int epoch, long nanos, boolean completed, long items) {
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
        char[] h = counts;
        if (h != null) {
            // last: every bucket counted lies between the buckets of the slot's min and max, which clearing uses
            int bucket = (epoch & 1) * Histogram.BUCKETS + Histogram.index(nanos);
            char c = h[bucket];
            h[bucket] = (char) (c + 1);
            if (c == Character.MAX_VALUE) {
                carry(epoch & 1, bucket);
            }
        }
    }

    /** Owner only: empties the slot of {@code epoch}'s parity for that epoch (two epochs after its last use). */
    private void resetSlot(int epoch) {
        long[] a = slots;
        int b = (epoch & 1) * SLOT_SIZE;
        if (counts != null) {
            clearHistogram(epoch & 1);
        }
        a[b + STAMP] = epoch;
        a[b + CARRIES_USED] = 0;
        a[b + HISTOGRAM_LOST] = 0;
        a[b + COMPLETED] = 0;
        a[b + FAILED] = 0;
        a[b + ITEMS] = 0;
        a[b + TOTAL_NANOS] = 0;
        a[b + MIN_NANOS] = Long.MAX_VALUE;
        a[b + MAX_NANOS] = Long.MIN_VALUE;
    }

    /**
     * Owner only, before the slot of {@code parity} is reused: zeroes the buckets its last epoch can have counted,
     * those from its minimum's to its maximum's (still in the slot). Idempotent, so a clear cut short is redone.
     */
    private void clearHistogram(int parity) {
        long[] a = slots;
        int b = parity * SLOT_SIZE;
        if (a[b + STAMP] == -1 || a[b + MIN_NANOS] > a[b + MAX_NANOS]) {
            return; // never written, or written no duration
        }
        int offset = parity * Histogram.BUCKETS;
        java.util.Arrays.fill(counts, offset + Histogram.index(a[b + MIN_NANOS]),
                offset + Histogram.index(a[b + MAX_NANOS]) + 1, (char) 0);
    }

    /** Owner only, rarely: a bucket's count wrapped to 0 after 65,535; one more carry for it. */
    private void carry(int parity, int bucket) {
        long[] a = slots;
        int b = parity * SLOT_SIZE;
        int[] table = carries;
        int base = parity * CARRY_ENTRIES;
        int used = (int) a[b + CARRIES_USED];
        int key = bucket - parity * Histogram.BUCKETS + 1;
        for (int i = base; i < base + used; i++) {
            int entry = table[i];
            if (entry >>> CARRY_BITS == key) {
                if ((entry & CARRY_MASK) == CARRY_MASK) {
                    a[b + HISTOGRAM_LOST] = 1;
                } else {
                    table[i] = entry + 1;
                }
                return;
            }
        }
        if (used == CARRY_ENTRIES) {
            a[b + HISTOGRAM_LOST] = 1;
            return;
        }
        table[base + used] = (key << CARRY_BITS) | 1;
        a[b + CARRIES_USED] = used + 1;
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
