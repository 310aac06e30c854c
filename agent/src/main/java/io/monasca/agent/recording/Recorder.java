package io.monasca.agent.recording;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the woven advice calls, and what the exporter reads.
 *
 * <p>This package is the agent's bootstrap part: the agent injects it into the bootstrap class loader, so that code
 * of any class loader (an isolated or child-first one included) can reach it. It depends on nothing but the JDK.
 *
 * <p>Per call: {@link #enter} (one read of the thread's {@link ThreadIndex} entry, a few owner-only stores,
 * {@code System.nanoTime()}) and {@link #exit} ({@code System.nanoTime()} and the cell's slot update). No allocation
 * after a thread's first call of an operation, no lock, no contended write. Neither method ever throws: an error of
 * the agent's own is counted and reported once.
 */
public final class Recorder {
    /**
     * How long the exporter waits for a writer caught mid-update. An update takes nanoseconds; a writer descheduled
     * by the OS resumes within milliseconds; a writer cut short by a StackOverflowError on its last (release) store
     * has written its slot completely and never resumes. Waiting longer would only delay the interval.
     */
    private static final long QUIESCENCE_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static volatile boolean enabled = true;
    static volatile int epoch;

    /**
     * The cells of the running agent, replaced as a whole when the agent starts (again), in one write: a thread
     * creating its cell while an agent starts registers it, keeps it and indexes it in one agent's tables, never in
     * two (a cell kept in a new agent's index but registered in the old one's would never be read).
     */
    private static volatile Cells cells = new Cells(0, true);
    /** {@code cells.byThread}, read by {@link #enter} without the extra hop; written right after {@link #cells}. */
    private static volatile Cell[][] cellsByThread = cells.byThread;

    /** The cells of one agent: per operation, by thread ({@link ThreadIndex}, where {@link #enter} looks first). */
    private static final class Cells {
        final CellList[] byOperation;
        /** Each thread's cells, for a thread whose {@link ThreadIndex} entry another thread's cell holds. */
        final ThreadLocal<Cell[]> ofThread = new ThreadLocal<Cell[]>();
        final Cell[][] byThread;
        /** Whether cells keep a duration histogram (the {@code percentiles} setting). */
        final boolean histograms;

        Cells(int operations, boolean histograms) {
            this.byOperation = new CellList[operations];
            this.byThread = new Cell[operations][];
            for (int i = 0; i < operations; i++) {
                byOperation[i] = new CellList();
                byThread[i] = ThreadIndex.newTable();
            }
            this.histograms = histograms;
        }
    }

    /**
     * The largest count of items one call may add: the interval's sum of at most 2^32 such calls stays within a
     * long, and the sum of up to 2^22 of them within the 2^53 that Monasca (doubles) keeps exactly.
     */
    public static final long MAX_ITEMS_PER_CALL = Integer.MAX_VALUE;

    private static final AtomicLong INTERNAL_ERRORS = new AtomicLong();
    /** Set by the first thread whose count-returning method returned what cannot be a count; never cleared. */
    private static final AtomicBoolean ITEMS_OUT_OF_RANGE = new AtomicBoolean();
    private static volatile long firstItemsOutOfRange;
    private static volatile int firstItemsOutOfRangeOperation = -1;
    private static final AtomicLong TORN_READS = new AtomicLong();

    private Recorder() {
    }

    /**
     * Starts recording for a new agent with this many operations: the cells of an earlier agent in this JVM (one
     * that was detached) are dropped, so its operations' slots and threads never show up in the new one's metrics.
     * Call before installing the advice. Cells keep duration histograms (for percentiles).
     */
    public static void start(int operations) {
        start(operations, true);
    }

    /** As {@link #start(int)}; {@code percentiles} false: cells keep no histogram (and take 7 KiB less each). */
    public static synchronized void start(int operations, boolean percentiles) {
        // Initialized here, on the agent's start: a class initializer first run on an application thread deep in
        // its stack could die of a StackOverflowError, and the class would be unusable for good.
        if (Histogram.BUCKETS <= 0) {
            throw new IllegalStateException("no histogram buckets");
        }
        Cells fresh = new Cells(operations, percentiles);
        cells = fresh;
        cellsByThread = fresh.byThread;
    }

    public static boolean isEnabled() {
        return enabled;
    }

    public static void setEnabled(boolean on) {
        enabled = on;
    }

    /** Start of an intercepted call. Returns the cell to pass to {@link #exit}, or null when this call is not timed. */
    public static Cell enter(int operation) {
        try {
            if (!enabled) {
                return null;
            }
            Thread thread = Thread.currentThread();
            Cell[][] byThread = cellsByThread;
            Cell cell = operation >= 0 && operation < byThread.length
                    ? byThread[operation][ThreadIndex.entryOf(thread)] : null;
            if (cell == null || cell.get() != thread) {
                cell = cellOf(operation, thread);
                if (cell == null) {
                    return null;
                }
            }
            if (cell.active) {
                return null; // a nested call of the same operation (an override calling super): time the outer one
            }
            cell.countStart();
            cell.startNanos = System.nanoTime();
            cell.active = true; // last: a StackOverflowError in a call above must not leave it set
            return cell;
        } catch (Throwable t) {
            internalError(t);
            return null;
        }
    }

    /**
     * Start of a call of a {@linkplain DeferredSites deferred site}: {@code owner} is the woven class itself. Its
     * first call decides whether it is timed, and as which operation; then one array read more than {@link #enter}.
     */
    public static Cell enterDeferred(int site, Class<?> owner) {
        try {
            int operation = DeferredSites.operation(site, owner);
            return operation < 0 ? null : enter(operation);
        } catch (Throwable t) {
            internalError(t);
            return null;
        }
    }

    /**
     * End of a timed call; {@code thrown} is null when it returned normally. (The woven exit code clears
     * {@link Cell#active} itself before calling this, in case the call cannot be made.)
     */
    public static void exit(Cell cell, Throwable thrown, long items) {
        end(cell, System.nanoTime(), thrown, items);
    }

    /**
     * End of a timed call whose method returns an {@code int} or {@code long} count of items. A count outside
     * 0..{@value #MAX_ITEMS_PER_CALL} (an error code, a byte offset) is not a count of items: it adds none, and the
     * first one is kept for the exporter to report once.
     */
    public static void exitWithCount(Cell cell, Throwable thrown, long items) {
        long end = System.nanoTime();
        if (items + Long.MIN_VALUE > MAX_ITEMS_PER_CALL + Long.MIN_VALUE) { // one unsigned compare: < 0 or too large
            itemsOutOfRange(cell, items);
            items = 0;
        }
        end(cell, end, thrown, items);
    }

    /**
     * End of a timed call whose method returns a collection: items are its size when its class is one of the
     * JDK's own that answer from a field ({@link KnownSizes}); any other collection's {@code size()} is the
     * application's code, which the agent does not run unasked. The clock stops first.
     */
    public static void exitWithCollection(Cell cell, Throwable thrown, java.util.Collection<?> result) {
        long end = System.nanoTime();
        long items;
        try {
            items = Math.max(0, KnownSizes.of(result));
        } catch (Throwable t) {
            internalError(t);
            items = 0;
        }
        end(cell, end, thrown, items);
    }

    /**
     * End of a timed call whose operation asks any returned collection for its size ({@code items.<op>=size}): the
     * application's {@code size()} runs after the call's time is taken, and a call of the same operation it makes
     * is not timed (it is the agent's doing, and would otherwise nest inside this one).
     */
    public static void exitWithAnyCollection(Cell cell, Throwable thrown, java.util.Collection<?> result) {
        long end = System.nanoTime();
        long nanos = end - cell.startNanos;
        long items;
        cell.active = true; // Recorder.enter returns null for this operation while it is set
        try {
            items = sizeOf(result);
        } finally {
            cell.active = false;
        }
        record(cell, nanos, thrown, items < 0 ? 0 : items);
    }

    /** End of a timed call whose method returns an array: items are its length. */
    public static void exitWithArray(Cell cell, Throwable thrown, Object result) {
        long end = System.nanoTime();
        end(cell, end, thrown, result == null ? 0 : java.lang.reflect.Array.getLength(result));
    }

    private static void end(Cell cell, long endNanos, Throwable thrown, long items) {
        try {
            cell.active = false;
            cell.recordEnd(endNanos - cell.startNanos, thrown == null, items);
        } catch (Throwable t) {
            internalError(t);
        }
    }

    private static void record(Cell cell, long nanos, Throwable thrown, long items) {
        try {
            cell.recordEnd(nanos, thrown == null, items);
        } catch (Throwable t) {
            internalError(t);
        }
    }

    /**
     * Keeps the first result out of range for the exporter's one message. After that a plain read of a flag that
     * no longer changes: a method that always returns -1 must not make every call a contended write.
     */
    private static void itemsOutOfRange(Cell cell, long items) {
        if (!ITEMS_OUT_OF_RANGE.get() && ITEMS_OUT_OF_RANGE.compareAndSet(false, true)) {
            firstItemsOutOfRange = items;
            firstItemsOutOfRangeOperation = cell.operation; // last: the exporter reads it first
        }
    }

    /**
     * The first result of a count-returning method outside 0..{@value #MAX_ITEMS_PER_CALL} (not counted as items)
     * and its operation, for the one message that reports them; the operation is -1 until there is one.
     */
    public static long firstItemsOutOfRange() {
        return firstItemsOutOfRange;
    }

    public static int firstItemsOutOfRangeOperation() {
        return firstItemsOutOfRangeOperation;
    }

    private static long sizeOf(java.util.Collection<?> result) {
        try {
            return result == null ? 0 : result.size();
        } catch (Throwable t) {
            internalError(t);
            return 0;
        }
    }

    /** For tests: the cell in an entry of the operation's {@link ThreadIndex}. */
    static Cell indexed(int operation, int entry) {
        return cells.byThread[operation][entry];
    }

    /**
     * The thread's cell of the operation when its {@link ThreadIndex} entry does not hold it: from its ThreadLocal,
     * or new; then in its entry, if that is free. All from one agent's {@link Cells}.
     */
    private static Cell cellOf(int operation, Thread thread) {
        Cells current = cells;
        if (operation < 0 || operation >= current.byOperation.length) {
            return null;
        }
        Cell[] mine = current.ofThread.get();
        Cell cell = mine != null && operation < mine.length ? mine[operation] : null;
        if (cell == null) {
            cell = newCell(current, mine, operation, thread);
        }
        ThreadIndex.add(current.byThread[operation], cell); // if its entry is free (now, or since a thread ended)
        return cell;
    }

    /** A new cell, registered and kept in the thread's ThreadLocal array {@code mine} (grown, or made, as needed). */
    private static Cell newCell(Cells current, Cell[] mine, int operation, Thread thread) {
        if (mine == null || operation >= mine.length) {
            Cell[] grown = new Cell[current.byOperation.length];
            if (mine != null) {
                System.arraycopy(mine, 0, grown, 0, mine.length);
            }
            mine = grown;
            current.ofThread.set(mine);
        }
        Cell cell = new Cell(operation, thread, current.histograms);
        current.byOperation[operation].add(cell); // registered before use, or not at all (a StackOverflowError in add)
        mine[operation] = cell;
        return cell;
    }

    /**
     * Called by the advice's exception handler and by this class when the agent's own code failed. Counts the error;
     * the first one is printed with its stack trace, the rest only counted.
     */
    public static void internalError(Throwable t) {
        if (INTERNAL_ERRORS.getAndIncrement() == 0) {
            try {
                System.err.println("[monasca-agent] ERROR internal error suppressed; the application is unaffected."
                        + " Further internal errors are only counted (metric <prefix>.agent.errors):");
                t.printStackTrace();
            } catch (Throwable ignored) {
                // nothing more can be done without risking the application
            }
        }
    }

    public static long internalErrors() {
        return INTERNAL_ERRORS.get();
    }

    /**
     * Cells read without waiting for their writer, whose update was cut short (a StackOverflowError in the
     * application right inside the agent's code) or stalled over 100 ms; rare. For diagnostics and tests: not in
     * {@code agent.errors} (a torn read is a reading, not a fault of the agent).
     */
    public static long tornReads() {
        return TORN_READS.get();
    }

    /**
     * Closes the current interval and returns what each cell recorded in it. Cells of threads that ended are
     * dropped once every interval they wrote to has been read. Only one exporter may call this at a time.
     */
    public static synchronized List<CellReading> closeInterval() {
        int closing = epoch;
        epoch = closing + 1;
        Cells current = cells;
        List<CellReading> readings = new ArrayList<CellReading>();
        for (int operation = 0; operation < current.byOperation.length; operation++) {
            CellList list = current.byOperation[operation];
            for (Cell cell : list.snapshot()) {
                Thread owner = cell.get();
                // Checked before reading: a thread seen dead has made its last write (JLS 17.4.4).
                boolean ended = owner == null || !owner.isAlive();
                long before = cell.stuckSeq;
                if (!cell.awaitQuiescence(QUIESCENCE_TIMEOUT_NANOS) && cell.stuckSeq != before) {
                    TORN_READS.incrementAndGet();
                }
                if (owner != null) {
                    cell.lastThreadName = owner.getName();
                }
                // its thread may have ended after a last call counted in the open interval: keep it for that one
                boolean last = ended && !cell.wroteIn(closing + 1);
                readings.add(read(cell, closing, last));
                if (last) {
                    list.remove(cell);
                    ThreadIndex.remove(current.byThread[operation], cell);
                }
            }
        }
        return readings;
    }

    private static CellReading read(Cell cell, int closing, boolean last) {
        long started = cell.started;
        long received = started - cell.exportedStarted;
        cell.exportedStarted = started;
        long[] a = cell.slots;
        int b = (closing & 1) * Cell.SLOT_SIZE;
        if (a[b + Cell.STAMP] != closing) {
            return new CellReading(cell.operation, cell.lastThreadName, received, 0, 0, 0, 0, 0, 0, last);
        }
        CellReading reading = new CellReading(cell.operation, cell.lastThreadName, received,
                a[b + Cell.COMPLETED], a[b + Cell.FAILED], a[b + Cell.ITEMS],
                a[b + Cell.TOTAL_NANOS], a[b + Cell.MIN_NANOS], a[b + Cell.MAX_NANOS], last);
        if (cell.counts != null && a[b + Cell.MIN_NANOS] <= a[b + Cell.MAX_NANOS]) {
            readHistogram(cell, closing & 1, reading);
        }
        return reading;
    }

    /**
     * The closed slot's non-empty buckets, with their carries, in bucket order. Only the buckets from the slot's
     * minimum's to its maximum's can be non-empty: the walk is as long as the interval's spread of durations.
     */
    private static void readHistogram(Cell cell, int parity, CellReading reading) {
        long[] a = cell.slots;
        int b = parity * Cell.SLOT_SIZE;
        char[] h = cell.counts;
        int offset = parity * Histogram.BUCKETS;
        int from = Histogram.index(a[b + Cell.MIN_NANOS]);
        int to = Histogram.index(a[b + Cell.MAX_NANOS]);
        int nonEmpty = 0;
        int carried = (int) a[b + Cell.CARRIES_USED];
        for (int i = from; i <= to; i++) {
            if (h[offset + i] != 0) {
                nonEmpty++;
            }
        }
        int[] buckets = new int[nonEmpty + carried];
        long[] counts = new long[nonEmpty + carried];
        int n = 0;
        for (int i = from; i <= to; i++) {
            long count = h[offset + i];
            for (int c = 0; c < carried; c++) {
                int entry = cell.carries[parity * Cell.CARRY_ENTRIES + c];
                if ((entry >>> Cell.CARRY_BITS) - 1 == i) {
                    count += (long) (entry & Cell.CARRY_MASK) << 16;
                }
            }
            if (count != 0) {
                buckets[n] = i;
                counts[n++] = count;
            }
        }
        if (n < buckets.length) { // a carried bucket was also counted non-empty above
            buckets = java.util.Arrays.copyOf(buckets, n);
            counts = java.util.Arrays.copyOf(counts, n);
        }
        reading.histogram(buckets, counts, a[b + Cell.HISTOGRAM_LOST] != 0);
    }
}
