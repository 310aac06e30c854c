package io.monasca.perf.cpu;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessCpuTest {
    private static final int JIT = ProcessCpu.Group.JIT.ordinal();
    private static final int GC = ProcessCpu.Group.GC.ordinal();
    private static final int APP = ProcessCpu.Group.APPLICATION.ordinal();

    @Test
    void ticksAreCountedAfterACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 5000 0 0 0 150 50 0 0 20 0 40 0 12345 0 0";
        assertEquals(2_000_000_000L, ProcessCpu.ticks(stat), "utime 150 + stime 50 ticks of 10 ms");
        assertEquals(1_234_567L, ProcessCpu.schedstat("1234567 89 10\n")[0]);
        assertEquals(89L, ProcessCpu.schedstat("1234567 89 10\n")[1]);
    }

    @Test
    void threadsAreGroupedByTheirHotSpotNames() {
        assertEquals(ProcessCpu.Group.JIT, ProcessCpu.group("C2 CompilerThre"));
        assertEquals(ProcessCpu.Group.JIT, ProcessCpu.group("C1 CompilerThre"));
        assertEquals(ProcessCpu.Group.GC, ProcessCpu.group("GC Thread#1"));
        assertEquals(ProcessCpu.Group.GC, ProcessCpu.group("G1 Refine#0"));
        assertEquals(ProcessCpu.Group.GC, ProcessCpu.group("VM Thread"));
        assertEquals(ProcessCpu.Group.APPLICATION, ProcessCpu.group("metric-0"));
        assertEquals(ProcessCpu.Group.APPLICATION, ProcessCpu.group("monasca-agent-e"));
    }

    @Test
    void aSpanAddsTheThreadsNanosecondsWhileTheyAgreeWithTheTicks() {
        ProcessCpu.Sample before = new ProcessCpu.Sample(1_000_000_000L, Map.of(
                "1", new long[]{100_000_000, 5_000_000, APP}, "2", new long[]{50_000_000, 0, JIT}));
        ProcessCpu.Sample after = new ProcessCpu.Sample(1_300_000_000L, Map.of(
                "1", new long[]{352_000_000, 9_000_000, APP}, "2", new long[]{100_000_000, 0, JIT},
                "3", new long[]{4_000_000, 0, GC})); // a thread started in between: all of its time counts
        ProcessCpu.Span span = after.since(before);
        assertTrue(span.agrees());
        assertEquals(306_000_000L, span.total(), "the threads' nanoseconds, not the 300 ms of ticks");
        assertEquals(252_000_000L, span.application());
        assertTrue(span.applicationPrecise());
        assertEquals(50_000_000L, span.group(ProcessCpu.Group.JIT));
        assertEquals(4_000_000L, span.group(ProcessCpu.Group.GC));
        assertEquals(4_000_000L, span.waitNanos());
        assertEquals(6.3, span.applicationPer(40_000), 1e-9);
    }

    @Test
    void aThreadThatEndedMakesTheSpanFallBackToTicks() {
        ProcessCpu.Sample before = new ProcessCpu.Sample(1_000_000_000L, Map.of(
                "1", new long[]{100_000_000, 0, APP}, "7", new long[]{10_000_000, 0, APP}, "2", new long[]{50_000_000, 0, JIT}));
        ProcessCpu.Sample after = new ProcessCpu.Sample(1_400_000_000L, Map.of(
                "1", new long[]{300_000_000, 0, APP}, "2", new long[]{80_000_000, 0, JIT})); // thread 7 ended
        ProcessCpu.Span span = after.since(before);
        assertFalse(span.applicationPrecise());
        assertFalse(span.agrees(), "230 ms of live threads against 400 ms of ticks");
        assertEquals(400_000_000L, span.total());
        assertEquals(370_000_000L, span.application(), "ticks minus the live JIT threads' time");
    }

    @Test
    void thisJvmsOwnCpuTimeIsReadPerThread() throws Exception {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        ProcessCpu cpu = new ProcessCpu(ProcessHandle.current().pid());
        ProcessCpu.Sample before = cpu.sample();
        long start = threads.getCurrentThreadCpuTime();
        long spin = 0;
        while (threads.getCurrentThreadCpuTime() - start < 200_000_000L) spin += System.nanoTime() % 7; // 200 ms of CPU, however busy the machine
        long spun = threads.getCurrentThreadCpuTime() - start;
        ProcessCpu.Span span = cpu.sample().since(before);
        assertTrue(span.application() >= spun - 25_000_000L, // ticks of 10 ms, if a thread ended meanwhile
                span.application() + " ns of application CPU time, this thread alone "
                + spun + " (" + spin + ")");
        assertTrue(span.total() >= span.application());
        assertTrue(ProcessCpu.available());
    }
}
