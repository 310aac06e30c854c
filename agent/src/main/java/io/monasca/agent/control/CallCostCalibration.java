package io.monasca.agent.control;

import io.monasca.agent.recording.Cell;
import io.monasca.agent.recording.Recorder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * What one timed call costs in this JVM, now: the woven code's path (a {@code Recorder.enter}, the cell's flag
 * cleared, a {@code Recorder.exit}: the clock pair and the recording) run in a short loop on the caller's thread,
 * minus the same loop without it. For tools that estimate the agent's direct cost from its call counts (perf's
 * toggle runs call it between windows, through the MBean). The loops are timed in the thread's CPU time where the
 * JVM offers it (a busy machine that takes the CPU away mid-loop does not inflate the figure, and CPU time is
 * what the agent's cost is compared with), else in elapsed time.
 *
 * <p>The calls are timed as an operation of their own that no woven method uses and the exporter never sends (the
 * recorder has one operation more than the settings: the aggregator skips it), so no real operation's counts change
 * and no series is created. Bounded: at most {@value #MAX_CALLS} calls per repetition and {@value #REPETITIONS}
 * repetitions, stopped after the first repetition that ends past {@value #BUDGET_MILLIS} ms; one calibration at a
 * time. The loop allocates nothing after the thread's first timed call of the calibration operation (its cell).
 */
public final class CallCostCalibration {
    public static final int MIN_CALLS = 1_000;
    public static final int MAX_CALLS = 20_000;
    static final int REPETITIONS = 5;
    static final long BUDGET_MILLIS = 20;
    private static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(BUDGET_MILLIS);
    /** Untimed calls first: the thread's cell is made and the loop's first (interpreted) calls are not counted. */
    private static final int WARM_UP_CALLS = 500;

    /** Indices of {@link #measure}'s answer. */
    public static final int NANOS_PER_CALL = 0;
    public static final int MIN_NANOS_PER_CALL = 1;
    public static final int MAX_NANOS_PER_CALL = 2;
    public static final int REPETITIONS_DONE = 3;
    public static final int CALLS_PER_REPETITION = 4;
    public static final int CLOCK_PAIR_NANOS = 5;
    /** 1 when the loops were timed in the thread's CPU time, 0 in elapsed time. */
    public static final int THREAD_CPU_TIME = 6;

    /** Where the loops leave their result, so that the JIT cannot drop them. */
    private static volatile long sink;

    private CallCostCalibration() {
    }

    /**
     * Measures {@code calls} timed calls of {@code operation} per repetition, a few repetitions. Returns nanoseconds
     * per timed call (median over the repetitions), their minimum and maximum, the repetitions done, the calls per
     * repetition, and the clock pair alone (two {@code System.nanoTime()}, median), at the indices above.
     *
     * @param extra work done inside each timed call and not in the loop it is compared with: null, except in tests
     *              that inject a known cost per call (the difference must show it)
     * @throws IllegalStateException when a call was not timed (timing was switched off meanwhile)
     */
    public static synchronized double[] measure(int operation, int calls, Runnable extra) {
        if (calls < MIN_CALLS || calls > MAX_CALLS) {
            throw new IllegalArgumentException("calls per repetition must be " + MIN_CALLS + " to " + MAX_CALLS
                    + ", not " + calls);
        }
        requireAllTimed(timed(operation, WARM_UP_CALLS, extra), WARM_UP_CALLS);
        ThreadMXBean threads = threadCpuClock();
        double[] perCall = new double[REPETITIONS];
        double[] clockPair = new double[REPETITIONS];
        long start = System.nanoTime();
        int done = 0;
        while (done < REPETITIONS) {
            long t0 = now(threads);
            int timedCalls = timed(operation, calls, extra);
            long t1 = now(threads);
            bare(calls);
            long t2 = now(threads);
            clockPairs(calls);
            long t3 = now(threads);
            requireAllTimed(timedCalls, calls);
            perCall[done] = ((t1 - t0) - (t2 - t1)) / (double) calls;
            clockPair[done] = ((t3 - t2) - (t2 - t1)) / (double) calls;
            done++;
            if (System.nanoTime() - start >= BUDGET_NANOS) {
                break;
            }
        }
        double[] costs = Arrays.copyOf(perCall, done);
        Arrays.sort(costs);
        double[] clocks = Arrays.copyOf(clockPair, done);
        Arrays.sort(clocks);
        double[] answer = new double[7];
        answer[NANOS_PER_CALL] = median(costs);
        answer[MIN_NANOS_PER_CALL] = costs[0];
        answer[MAX_NANOS_PER_CALL] = costs[done - 1];
        answer[REPETITIONS_DONE] = done;
        answer[CALLS_PER_REPETITION] = calls;
        answer[CLOCK_PAIR_NANOS] = median(clocks);
        answer[THREAD_CPU_TIME] = threads != null ? 1 : 0;
        return answer;
    }

    /** The JVM's thread CPU clock when it has one that is on, else null (elapsed time is used). */
    private static ThreadMXBean threadCpuClock() {
        try {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            return threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled() ? threads : null;
        } catch (Throwable t) {
            return null;
        }
    }

    private static long now(ThreadMXBean threads) {
        return threads != null ? threads.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private static void requireAllTimed(int timedCalls, int calls) {
        if (timedCalls != calls) {
            throw new IllegalStateException("only " + timedCalls + " of " + calls + " calls were timed (timing was"
                    + " switched off during the calibration); nothing measured");
        }
    }

    /** The woven code's path around each iteration (see TimedMethodVisitor); returns how many calls were timed. */
    private static int timed(int operation, int calls, Runnable extra) {
        long x = 0;
        int timedCalls = 0;
        for (int i = 0; i < calls; i++) {
            Cell cell;
            try {
                cell = Recorder.enter(operation);
            } catch (Throwable t) {
                cell = null;
            }
            x = x * 31 + i;
            if (extra != null) {
                extra.run();
            }
            if (cell != null) {
                timedCalls++;
                try {
                    cell.active = false;
                    Recorder.exit(cell, null, 0L);
                } catch (Throwable t) {
                    // as the woven code: the agent's error never reaches the caller
                }
            }
        }
        sink = x;
        return timedCalls;
    }

    /** The same loop without the agent. */
    private static void bare(int calls) {
        long x = 0;
        for (int i = 0; i < calls; i++) {
            x = x * 31 + i;
        }
        sink = x;
    }

    /** The same loop with only the clock pair: what two clock reads cost, for comparison. */
    private static void clockPairs(int calls) {
        long x = 0;
        for (int i = 0; i < calls; i++) {
            long begin = System.nanoTime();
            x = x * 31 + i;
            x += System.nanoTime() - begin;
        }
        sink = x;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
