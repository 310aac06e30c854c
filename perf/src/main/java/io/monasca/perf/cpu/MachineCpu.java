package io.monasca.perf.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's CPU time from {@code /proc/stat} (its first line, all CPUs added up, in clock ticks): time
 * spent running anything, and steal time (what the hypervisor gave other guests while this one wanted to run).
 * Read at a window's edges beside the persister's own CPU time, it tells what else ran meanwhile: the machine's
 * busy time minus the persister's and perf's own (broker, producer) is other processes'.
 */
public final class MachineCpu {
    private static final Path STAT = Path.of("/proc/stat");
    private static final Path SELF = Path.of("/proc/self/stat");

    private MachineCpu() {
    }

    /**
     * Nanoseconds since boot: the CPUs busy (user, nice, system, irq, softirq), stolen, all of their time (busy, idle,
     * iowait, steal: the machine's capacity, whatever CPUs this process may use), and this JVM's own CPU time.
     */
    public record Sample(long busyNanos, long stealNanos, long capacityNanos, long selfNanos) {
        public Span since(Sample earlier) {
            return new Span(busyNanos - earlier.busyNanos, stealNanos - earlier.stealNanos,
                    capacityNanos - earlier.capacityNanos, selfNanos - earlier.selfNanos);
        }
    }

    /**
     * Between two samples: the machine's busy CPU time, its steal time, its capacity (every CPU's time), and perf's
     * own (this JVM's) CPU time.
     */
    public record Span(long busyNanos, long stealNanos, long capacityNanos, long selfNanos) {
        /** What other processes used: busy minus the persister's ({@code persisterNanos}) and perf's own; at least 0. */
        public long othersNanos(long persisterNanos) {
            return Math.max(0, busyNanos - persisterNanos - selfNanos);
        }
    }

    public static boolean available() {
        return Files.isReadable(STAT);
    }

    public static Sample sample() throws IOException {
        return parse(Files.readString(STAT), ProcessCpu.ticks(Files.readString(SELF)));
    }

    /**
     * The first line of /proc/stat: {@code cpu user nice system idle iowait irq softirq steal guest guest_nice}
     * (guest time is already counted in user). Busy: user + nice + system + irq + softirq; capacity: busy + idle +
     * iowait + steal.
     */
    static Sample parse(String stat, long selfNanos) {
        String first = stat.substring(0, stat.indexOf('\n') < 0 ? stat.length() : stat.indexOf('\n')).trim();
        String[] f = first.split("\\s+");
        if (!f[0].equals("cpu")) throw new IllegalArgumentException("not the all-CPU line of /proc/stat: " + first);
        long busy = field(f, 1) + field(f, 2) + field(f, 3) + field(f, 6) + field(f, 7);
        long all = busy + field(f, 4) + field(f, 5) + field(f, 8);
        return new Sample(busy * ProcessCpu.TICK_NANOS, field(f, 8) * ProcessCpu.TICK_NANOS, all * ProcessCpu.TICK_NANOS, selfNanos);
    }

    private static long field(String[] f, int i) {
        return i < f.length ? Long.parseLong(f[i]) : 0;
    }
}
