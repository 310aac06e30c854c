package io.monasca.perf.cpu;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time (user + system) of another process and of its threads by kind, read from {@code /proc}: each live
 * thread's run time in nanoseconds ({@code /proc/<pid>/task/<tid>/schedstat}), checked against the process's total
 * in clock ticks ({@code /proc/<pid>/stat}, which also holds the threads that have ended).
 *
 * <p>Why not the JVM's {@code java.lang:type=OperatingSystem ProcessCpuTime} over JMX: on Linux the JDK computes it
 * with {@code times(2)}, in clock ticks, so it has the same 10 ms resolution as {@code /proc/<pid>/stat}: a window
 * using 300 ms of CPU would be known to +-3 %. A JMX read also takes 1 to 15 ms on a busy 2-core machine and runs on
 * the persister's own threads (RMI), whose code the JIT then compiles during later windows; reading {@code /proc}
 * costs the persister nothing.
 *
 * <p>Each thread is put in a {@link Group} by its name, so that a window's CPU time can be split into the JIT
 * compilers', the garbage collector's and the application's (everything else: the persister's own threads, Kafka's,
 * the agent's exporter). A thread that ended between two samples is missing from the per-thread sums; the tick total
 * is not, so a span where a thread of a group ended falls back to ticks ({@link Span#precise} false).
 */
public final class ProcessCpu {
    /** USER_HZ: the unit of utime and stime in /proc/<pid>/stat, 100 on every Linux architecture the JDK runs on. */
    static final long TICKS_PER_SECOND = 100;
    public static final long TICK_NANOS = 1_000_000_000L / TICKS_PER_SECOND;

    /** What a thread does, from its HotSpot name: the JIT compilers, the garbage collector, or the rest. */
    public enum Group { JIT, GC, APPLICATION }

    /**
     * The sample persister's consumer threads ({@code metric-0}, {@code metric-1}, ...; application threads): they
     * poll Kafka, parse, call the timed methods and write the batches. Their CPU time alone leaves out the other
     * application threads (Kafka's heartbeat, the admin API, the agent's exporter), which are noise to the handler's
     * cost but hold the agent's exporter.
     */
    public static final String HANDLER_PREFIX = "metric-";

    private final Path process;
    private final Map<String, Group> groups = new HashMap<>();
    private final java.util.Set<String> handlers = new java.util.HashSet<>();

    public ProcessCpu(long pid) {
        this.process = Path.of("/proc", Long.toString(pid));
    }

    /** Whether this machine has /proc/<pid>/stat and per-thread schedstat (Linux). */
    public static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat")) && Files.isReadable(Path.of("/proc/self/schedstat"));
    }

    /** The process's CPU time now: each live thread's run time, wait time and group, and the tick total. */
    public Sample sample() throws IOException {
        Map<String, long[]> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(process.resolve("task"))) {
            for (Path task : tasks) {
                String tid = task.getFileName().toString();
                try {
                    long[] stat = schedstat(Files.readString(task.resolve("schedstat")));
                    Group group = groups.get(tid);
                    if (group == null) {
                        String name = Files.readString(task.resolve("comm")).trim();
                        group = group(name);
                        groups.put(tid, group);
                        if (name.startsWith(HANDLER_PREFIX)) handlers.add(tid);
                    }
                    threads.put(tid, new long[]{stat[0], stat[1], group.ordinal(), handlers.contains(tid) ? 1 : 0});
                } catch (IOException ended) {
                    // the thread ended while the folder was read: the tick total holds its time
                }
            }
        }
        return new Sample(ticks(Files.readString(process.resolve("stat"))), threads);
    }

    /** Fields 14 and 15 of /proc/<pid>/stat, counted after the command name (which may hold spaces and parentheses). */
    static long ticks(String line) {
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state): utime is field 14, stime field 15
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_NANOS;
    }

    /** schedstat: nanoseconds the thread has run, nanoseconds it waited for a CPU (and times it ran, unused). */
    static long[] schedstat(String line) {
        String[] f = line.trim().split(" ");
        return new long[]{Long.parseLong(f[0]), Long.parseLong(f[1])};
    }

    /** HotSpot's thread names: "C2 CompilerThread0", "GC Thread#1", "G1 Refine#0", "VM Thread"... */
    static Group group(String name) {
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) return Group.JIT;
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) return Group.GC;
        return Group.APPLICATION;
    }

    /**
     * One reading: the tick total, and per live thread (by thread id) {run ns, waited ns, group ordinal, 1 for a
     * handler thread else 0}.
     */
    public record Sample(long tickNanos, Map<String, long[]> threads) {
        private static final long[] NEW = {0, 0, 0, 0};

        /** CPU time from {@code earlier} to this sample. */
        public Span since(Sample earlier) {
            long ticks = tickNanos - earlier.tickNanos;
            long[] byGroup = new long[Group.values().length];
            boolean[] ended = new boolean[Group.values().length];
            long waited = 0;
            long handler = 0;
            boolean handlerEnded = false;
            for (Map.Entry<String, long[]> t : threads.entrySet()) {
                long[] before = earlier.threads.getOrDefault(t.getKey(), NEW); // a new thread: all of its time
                byGroup[(int) t.getValue()[2]] += t.getValue()[0] - before[0];
                waited += t.getValue()[1] - before[1];
                if (t.getValue().length > 3 && t.getValue()[3] == 1) handler += t.getValue()[0] - before[0];
            }
            for (Map.Entry<String, long[]> t : earlier.threads.entrySet()) {
                if (!threads.containsKey(t.getKey())) {
                    ended[(int) t.getValue()[2]] = true;
                    if (t.getValue().length > 3 && t.getValue()[3] == 1) handlerEnded = true;
                }
            }
            long live = java.util.Arrays.stream(byGroup).sum();
            // the tick total is rounded down at each reading (utime and stime apart), and the files are read a
            // moment apart: within that, it agrees with the threads' sum unless a thread ended in between
            boolean agrees = Math.abs(live - ticks) <= 2 * TICK_NANOS + 5_000_000;
            return new Span(agrees ? live : ticks, byGroup, ended, agrees, waited, handlerEnded ? -1 : handler);
        }
    }

    /**
     * CPU time between two samples. {@code total}: the threads' nanoseconds when they agree with the tick total,
     * else the tick total (a thread ended). {@code byGroup}: the live threads' nanoseconds per {@link Group};
     * {@code ended}: per group, whether one of its threads ended in the span (its share is then not known to the
     * nanosecond). {@code waitNanos}: how long the threads were ready to run but waited for a CPU: how contended the
     * machine was. {@code handlerNanos}: the handler threads' ({@link #HANDLER_PREFIX}) nanoseconds, -1 when one of
     * them ended in the span or none was found.
     */
    public record Span(long total, long[] byGroup, boolean[] ended, boolean agrees, long waitNanos, long handlerNanos) {
        /** A span without the handler threads' share. */
        public Span(long total, long[] byGroup, boolean[] ended, boolean agrees, long waitNanos) {
            this(total, byGroup, ended, agrees, waitNanos, -1);
        }

        public long group(Group g) {
            return byGroup[g.ordinal()];
        }

        /**
         * CPU time of the application's threads (all but the JIT compilers' and the garbage collector's): exact when
         * none of them ended in the span, else the tick total minus the live JIT and GC threads' time
         * ({@link #applicationPrecise} false).
         */
        public long application() {
            return applicationPrecise() ? group(Group.APPLICATION)
                    : Math.max(0, total - group(Group.JIT) - group(Group.GC));
        }

        public boolean applicationPrecise() {
            return !ended[Group.APPLICATION.ordinal()];
        }

        /** Microseconds per message of {@link #application()}; NaN for no message. */
        public double applicationPer(long messages) {
            return micros(application(), messages);
        }

        /** Microseconds per message of the handler threads alone; NaN when not known. */
        public double handlerPer(long messages) {
            return handlerNanos <= 0 ? Double.NaN : micros(handlerNanos, messages);
        }

        /** Microseconds per message of the whole process. */
        public double totalPer(long messages) {
            return micros(total, messages);
        }

        /** Microseconds per message of one group's live threads. */
        public double groupPer(Group g, long messages) {
            return micros(group(g), messages);
        }

        private static double micros(long nanos, long messages) {
            return messages > 0 ? nanos / 1000.0 / messages : Double.NaN;
        }
    }
}
