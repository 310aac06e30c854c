package io.monasca.perf.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MachineCpuTest {
    @Test
    void busyIsUserNiceSystemIrqSoftirqAndStealIsApart() {
        String stat = "cpu  1397741 1130 126105 627489 1662 7 3641 1892 0 0\ncpu0 698870 565 63052 313744 831 3 1820 946 0 0\n";
        MachineCpu.Sample s = MachineCpu.parse(stat, 5_000_000_000L);
        assertEquals((1397741L + 1130 + 126105 + 7 + 3641) * ProcessCpu.TICK_NANOS, s.busyNanos());
        assertEquals(1892L * ProcessCpu.TICK_NANOS, s.stealNanos());
        assertEquals((1397741L + 1130 + 126105 + 627489 + 1662 + 7 + 3641 + 1892) * ProcessCpu.TICK_NANOS, s.capacityNanos());
        assertThrows(IllegalArgumentException.class, () -> MachineCpu.parse("intr 1 2 3\n", 0));
    }

    @Test
    void othersAreTheBusyTimeLessThePersistersAndPerfsAndNeverBelowZero() {
        MachineCpu.Span span = new MachineCpu.Sample(3_000, 50, 4_000, 700).since(new MachineCpu.Sample(1_000, 10, 0, 200));
        assertEquals(2_000, span.busyNanos());
        assertEquals(40, span.stealNanos());
        assertEquals(4_000, span.capacityNanos());
        assertEquals(2_000 - 1_200 - 500, span.othersNanos(1_200));
        assertEquals(0, span.othersNanos(5_000), "ticks rounded down can make the difference negative");
    }

    @Test
    void thisMachinesStatIsRead() throws Exception {
        if (!MachineCpu.available()) return;
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        MachineCpu.Sample before = MachineCpu.sample();
        long end = threads.getCurrentThreadCpuTime() + 300_000_000L; // CPU time: a busy machine stretches wall time
        long spin = 0;
        while (threads.getCurrentThreadCpuTime() < end) spin++;
        MachineCpu.Span span = MachineCpu.sample().since(before);
        assertTrue(spin > 0 && span.selfNanos() >= 300_000_000L - 2 * ProcessCpu.TICK_NANOS,
                "this JVM spun 300 ms of CPU time: " + span.selfNanos());
        assertTrue(span.busyNanos() >= span.selfNanos() - 2 * ProcessCpu.TICK_NANOS, span.toString());
        assertTrue(span.capacityNanos() >= span.busyNanos(), span.toString());
    }
}
