package io.monasca.agent.recording;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recorder is process-wide state: each test uses its own operation index and reads only that one. */
class RecorderTest {
    private static final int STRESS = 0;
    private static final int NESTED = 1;
    private static final int DISABLED = 2;
    private static final int ENDED_THREAD = 3;
    private static final int SAME_ENTRY = 4;
    private static final int FREED_ENTRY = 5;

    @BeforeAll
    static void configure() {
        Recorder.start(6);
    }

    private static List<CellReading> close(int operation) {
        List<CellReading> mine = new ArrayList<>();
        for (CellReading r : Recorder.closeInterval()) {
            if (r.operation == operation) {
                mine.add(r);
            }
        }
        return mine;
    }

    /**
     * Writers on several threads while the interval closes again and again: every call is counted exactly once,
     * and in each interval the times, and the histogram the percentiles come from, are over exactly the calls
     * counted as ended in it.
     */
    @Test
    void snapshotsAreExactUnderConcurrentWriters() throws Exception {
        int threads = 4;
        int callsPerThread = 200_000;
        CountDownLatch done = new CountDownLatch(threads);
        AtomicBoolean failed = new AtomicBoolean();
        AtomicBoolean histogramMixed = new AtomicBoolean();
        long histogramTotal = 0;
        for (int t = 0; t < threads; t++) {
            Thread writer = new Thread(() -> {
                for (int i = 0; i < callsPerThread; i++) {
                    Cell cell = Recorder.enter(STRESS);
                    Recorder.exit(cell, (i % 7 == 0) ? new IllegalStateException() : null, 2);
                }
                done.countDown();
            }, "writer-" + t);
            writer.start();
        }
        long received = 0;
        long completed = 0;
        long failedCalls = 0;
        long items = 0;
        int intervals = 0;
        while (done.getCount() > 0 || intervals == 0) {
            for (CellReading r : close(STRESS)) {
                received += r.received;
                completed += r.completed;
                failedCalls += r.failed;
                items += r.items;
                if (r.ended() > 0) {
                    // each call takes >= 0 ns; the sum must lie between ended*min and ended*max
                    if (!(r.minNanos <= r.maxNanos && r.totalNanos >= r.minNanos * r.ended()
                            && r.totalNanos <= r.maxNanos * r.ended())) {
                        failed.set(true);
                    }
                    // the histogram: as many durations as ended calls, all between the min's and the max's buckets
                    long inHistogram = 0;
                    for (int i = 0; i < r.buckets(); i++) {
                        inHistogram += r.bucketCount(i);
                        if (r.bucket(i) < Histogram.index(r.minNanos) || r.bucket(i) > Histogram.index(r.maxNanos)) {
                            histogramMixed.set(true);
                        }
                    }
                    if (inHistogram != r.ended()) {
                        histogramMixed.set(true);
                    }
                    histogramTotal += inHistogram;
                }
            }
            intervals++;
        }
        for (CellReading r : close(STRESS)) {
            received += r.received;
            completed += r.completed;
            failedCalls += r.failed;
            items += r.items;
            for (int i = 0; i < r.buckets(); i++) {
                histogramTotal += r.bucketCount(i);
            }
        }
        long total = (long) threads * callsPerThread;
        long failures = threads * ((callsPerThread + 6) / 7);
        assertEquals(total, received);
        assertEquals(total - failures, completed);
        assertEquals(failures, failedCalls);
        assertEquals(2 * (total - failures), items);
        assertTrue(!failed.get(), "a snapshot mixed calls of two intervals");
        assertTrue(!histogramMixed.get(), "a histogram mixed durations of two intervals");
        assertEquals(total, histogramTotal);
        assertTrue(intervals > 1, "the interval closed only once: " + intervals);
        assertEquals(0, Recorder.tornReads());
    }

    @Test
    void nestedCallOfTheSameOperationIsTimedOnce() {
        close(NESTED);
        Cell outer = Recorder.enter(NESTED);
        assertNull(Recorder.enter(NESTED), "inner call must not be timed");
        Recorder.exit(outer, null, 1);
        List<CellReading> r = close(NESTED);
        assertEquals(1, r.size());
        assertEquals(1, r.get(0).received);
        assertEquals(1, r.get(0).completed);
        assertTrue(Recorder.enter(NESTED) != null, "the next outer call is timed again");
    }

    @Test
    void disabledRecorderTimesNothing() {
        close(DISABLED);
        Recorder.setEnabled(false);
        try {
            assertNull(Recorder.enter(DISABLED));
        } finally {
            Recorder.setEnabled(true);
        }
        Cell cell = Recorder.enter(DISABLED);
        Recorder.exit(cell, null, 0);
        assertEquals(1, close(DISABLED).get(0).completed);
    }

    @Test
    void cellsOfEndedThreadsAreReadOnceMoreThenDropped() throws Exception {
        close(ENDED_THREAD);
        Thread t = new Thread(() -> Recorder.exit(Recorder.enter(ENDED_THREAD), null, 5), "short-lived");
        t.start();
        t.join();
        List<CellReading> last = close(ENDED_THREAD);
        assertEquals(1, last.size());
        assertEquals("short-lived", last.get(0).threadName);
        assertEquals(5, last.get(0).items);
        assertEquals(List.of(), close(ENDED_THREAD));
    }

    @Test
    void unknownOperationIsIgnored() {
        assertNull(Recorder.enter(99));
        assertNull(Recorder.enter(-1));
    }

    /**
     * Two threads whose {@link ThreadIndex} entry is the same, calling at the same time: one finds its cell in the
     * entry, the other through its ThreadLocal, and neither ever writes the other's cell.
     */
    @Test
    void threadsWithTheSameIndexEntryKeepCellsOfTheirOwn() throws Exception {
        close(SAME_ENTRY);
        int calls = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> pair = new ArrayList<>();
        java.util.Map<Integer, Thread> byEntry = new java.util.HashMap<>();
        while (pair.isEmpty()) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                long perCall = Thread.currentThread().getName().endsWith("a") ? 1 : 3;
                for (int c = 0; c < calls; c++) {
                    Recorder.exit(Recorder.enter(SAME_ENTRY), null, perCall);
                }
            });
            Thread earlier = byEntry.putIfAbsent(ThreadIndex.entryOf(t), t);
            if (earlier != null) {
                earlier.setName("same-entry-a");
                t.setName("same-entry-b");
                pair.add(earlier);
                pair.add(t);
            }
        }
        pair.forEach(Thread::start);
        start.countDown();
        for (Thread t : pair) {
            t.join();
        }
        List<CellReading> readings = close(SAME_ENTRY);
        assertEquals(2, readings.size());
        for (CellReading r : readings) {
            long perCall = r.threadName.endsWith("a") ? 1 : 3;
            assertEquals(calls, r.completed, r.threadName);
            assertEquals(calls, r.received, r.threadName);
            assertEquals(perCall * calls, r.items, r.threadName);
        }
    }

    /** The entry of a thread that ended is freed with its cell, and the next thread with that entry takes it. */
    @Test
    void anEndedThreadsEntryIsFreedForTheNextThread() throws Exception {
        close(FREED_ENTRY);
        Runnable oneCall = () -> Recorder.exit(Recorder.enter(FREED_ENTRY), null, 0);
        Thread first = new Thread(oneCall, "first");
        int entry = ThreadIndex.entryOf(first);
        first.start();
        first.join();
        assertEquals("first", Recorder.indexed(FREED_ENTRY, entry).get().getName());
        close(FREED_ENTRY); // its last reading
        close(FREED_ENTRY); // dropped
        assertNull(Recorder.indexed(FREED_ENTRY, entry));
        CountDownLatch called = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Runnable callAndStay = () -> {
            oneCall.run();
            called.countDown();
            try {
                release.await();
            } catch (InterruptedException ignored) {
                // ends either way
            }
        };
        Thread holder = new Thread(callAndStay, "next");
        while (ThreadIndex.entryOf(holder) != entry) {
            holder = new Thread(callAndStay, "next");
        }
        holder.start();
        called.await();
        try {
            assertEquals(holder, Recorder.indexed(FREED_ENTRY, entry).get());
        } finally {
            release.countDown();
            holder.join();
        }
    }
}
