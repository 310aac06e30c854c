package io.monasca.agent.benchmarks;

import io.monasca.agent.recording.Histogram;
import io.monasca.agent.recording.Recorder;
import org.HdrHistogram.SingleWriterRecorder;
import org.openjdk.jmh.infra.Blackhole;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-call cost over a bare {@code System.nanoTime()} pair, measured in pairs inside one JVM: slices of calls of one
 * variant and of the bare pair alternate (ABBA), and each round's figure is the difference of the thread's CPU time
 * per call. JMH compares two benchmarks across two forks, and on this project's VM forks differ by several
 * nanoseconds per call (their speed, their code's layout), which hides a budget of 10 ns; paired slices a few
 * milliseconds apart cancel that, and forks of this class (run by {@link Budgets}) average over the layouts.
 *
 * <p>The loops have the shape of JMH's: a state field incremented per call, the result consumed, and a volatile read
 * per call (JMH's {@code isDone}), so that the JIT hoists nothing of one call's work out of the loop: an application
 * calling an upsert now and then gets no hoisting either. The variants:
 * <ul>
 *   <li>{@code agent}: the class woven by the agent's weaver, calling its recorder; percentiles on (the default);</li>
 *   <li>{@code agent-no-percentiles}: the same with {@code percentiles=none};</li>
 *   <li>{@code floor-fence}: the pair and one volatile store: the StoreLoad fence that any recorder pays per call to
 *       swap intervals exactly, without a lock (the agent's {@code seq}; HdrHistogram's recorders pay two atomic
 *       increments);</li>
 *   <li>{@code floor-fence-bucket}: the same and one two-byte count incremented at {@link Histogram#index};</li>
 *   <li>{@code floor-fence-epoch-bucket}: the same, the count in the half of a two-half histogram that the interval's
 *       epoch, read after the fence, chooses: the least an exact per-interval histogram does per call without a
 *       lock (the fence orders the writer's mark before its read of the epoch; the epoch says which half is
 *       open);</li>
 *   <li>{@code hdrhistogram}: the pair feeding HdrHistogram's {@code SingleWriterRecorder} (2 significant digits), the
 *       model's own exact interval recorder for one writer.</li>
 * </ul>
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.monasca.agent.benchmarks.PairedPerCall agent 80</pre>
 * prints {@code paired <variant> <mean ns> <sd ns> <rounds>}.
 */
public final class PairedPerCall {
    static final List<String> VARIANTS = List.of("agent", "agent-no-percentiles", "floor-fence", "floor-fence-bucket",
            "floor-fence-epoch-bucket", "hdrhistogram");
    static final int CALLS_PER_SLICE = 100_000;
    private static final int WARMUP_SLICES = 100;
    private static final long CLOSE_EVERY_NANOS = 1_000_000_000L;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Blackhole BLACKHOLE = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    /** The benchmark's state: JMH's per-call field. */
    private int value;
    /** Never set: read once per call, as JMH reads {@code isDone}. */
    private volatile boolean done;
    /** The fence of the floor variants: a volatile store per call. */
    private volatile long fence;
    private final char[] counts = new char[Histogram.BUCKETS];
    /** The epoch of the two-half floor: never changed, but volatile, read per call after the fence as the agent's. */
    private volatile int epoch;
    private final char[] halves = new char[2 * Histogram.BUCKETS];
    private final SingleWriterRecorder hdr = new SingleWriterRecorder(2);

    private final String variant;
    private final Work plain = new PlainWork();
    private final Work woven;

    private PairedPerCall(String variant) throws Exception {
        this.variant = variant;
        Recorder.start(1, !variant.equals("agent-no-percentiles"));
        woven = (Work) Woven.load(PlainWork.class, "process", 0).getConstructor().newInstance();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !VARIANTS.contains(args[0])) {
            System.err.println("usage: PairedPerCall " + String.join("|", VARIANTS) + " <rounds>");
            System.exit(2);
        }
        List<Double> rounds = new PairedPerCall(args[0]).measure(Integer.parseInt(args[1]));
        System.out.printf(Locale.ROOT, "paired %s %.4f %.4f %d%n", args[0], Stats.mean(rounds), Stats.sd(rounds),
                rounds.size());
    }

    /**
     * Runs {@code forks} JVMs of every variant, in alternating order (the reverse every other pass), and returns
     * each variant's per-fork means (ns per call over the pair), in the order of the passes.
     */
    static Map<String, List<Double>> forks(Path benchmarksJar, int forks, int rounds) throws IOException,
            InterruptedException {
        Map<String, List<Double>> means = new LinkedHashMap<>();
        VARIANTS.forEach(v -> means.put(v, new ArrayList<>()));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int pass = 0; pass < forks; pass++) {
            List<String> order = new ArrayList<>(VARIANTS);
            if (pass % 2 == 1) {
                Collections.reverse(order);
            }
            for (String variant : order) {
                Process p = new ProcessBuilder(java, "-Xms256m", "-Xmx256m", "-cp", benchmarksJar.toString(),
                        PairedPerCall.class.getName(), variant, Integer.toString(rounds))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                String line = null;
                try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l = out.readLine(); l != null; l = out.readLine()) {
                        if (l.startsWith("paired " + variant + " ")) {
                            line = l;
                        }
                    }
                }
                if (p.waitFor() != 0 || line == null) {
                    throw new IllegalStateException("PairedPerCall " + variant + " failed (exit " + p.exitValue() + ")");
                }
                String[] fields = line.split(" "); // paired <variant> <mean> <sd> <rounds>
                double mean = Double.parseDouble(fields[2]);
                means.get(variant).add(mean);
                System.out.printf(Locale.ROOT, "  fork %d/%d %-26s %6.2f ns per call over the pair (sd over its %d "
                        + "rounds %.2f)%n", pass + 1, forks, variant, mean, rounds, Double.parseDouble(fields[3]));
            }
        }
        return means;
    }

    /** Warm-up, then {@code rounds} ABBA rounds; each round's variant minus pair, in ns of CPU time per call. */
    private List<Double> measure(int rounds) {
        for (int i = 0; i < WARMUP_SLICES; i++) {
            variantSlice();
            pairSlice();
        }
        List<Double> differences = new ArrayList<>();
        long lastClose = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            variantSlice();
            long t1 = THREADS.getCurrentThreadCpuTime();
            pairSlice();
            long t2 = THREADS.getCurrentThreadCpuTime();
            pairSlice();
            long t3 = THREADS.getCurrentThreadCpuTime();
            variantSlice();
            long t4 = THREADS.getCurrentThreadCpuTime();
            differences.add(((t1 - t0) + (t4 - t3) - (t2 - t1) - (t3 - t2)) / (2.0 * CALLS_PER_SLICE));
            if (System.nanoTime() - lastClose > CLOSE_EVERY_NANOS) { // as the exporter would, between slices
                Recorder.closeInterval();
                hdr.getIntervalHistogram();
                lastClose = System.nanoTime();
            }
        }
        return differences;
    }

    private void pairSlice() {
        for (int i = 0; i < CALLS_PER_SLICE && !done; i++) {
            long start = System.nanoTime();
            int result = plain.process(value++);
            BLACKHOLE.consume(result + (System.nanoTime() - start));
        }
    }

    private void variantSlice() {
        switch (variant) {
            case "agent":
            case "agent-no-percentiles":
                for (int i = 0; i < CALLS_PER_SLICE && !done; i++) {
                    BLACKHOLE.consume(woven.process(value++));
                }
                break;
            case "floor-fence":
                for (int i = 0; i < CALLS_PER_SLICE && !done; i++) {
                    long start = System.nanoTime();
                    int result = plain.process(value++);
                    fence = System.nanoTime() - start;
                    BLACKHOLE.consume(result);
                }
                break;
            case "floor-fence-bucket":
                for (int i = 0; i < CALLS_PER_SLICE && !done; i++) {
                    long start = System.nanoTime();
                    int result = plain.process(value++);
                    long nanos = System.nanoTime() - start;
                    fence = nanos;
                    counts[Histogram.index(nanos)]++;
                    BLACKHOLE.consume(result);
                }
                break;
            case "floor-fence-epoch-bucket":
                for (int i = 0; i < CALLS_PER_SLICE && !done; i++) {
                    long start = System.nanoTime();
                    int result = plain.process(value++);
                    long nanos = System.nanoTime() - start;
                    fence = nanos;
                    halves[(epoch & 1) * Histogram.BUCKETS + Histogram.index(nanos)]++;
                    BLACKHOLE.consume(result);
                }
                break;
            case "hdrhistogram":
                for (int i = 0; i < CALLS_PER_SLICE && !done; i++) {
                    long start = System.nanoTime();
                    int result = plain.process(value++);
                    hdr.recordValue(System.nanoTime() - start);
                    BLACKHOLE.consume(result);
                }
                break;
            default:
                throw new IllegalArgumentException(variant);
        }
    }
}
