package io.monasca.agent.benchmarks;

import io.monasca.agent.benchmarks.persister.PerMessageCost;
import io.monasca.agent.benchmarks.startup.StartupBenchmark;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every figure of the agent's performance budgets, measured side by side in one run: per call (JMH
 * {@link PerCallCost}, and {@link PairedPerCall}, paired inside each JVM, on which the per-call budgets over the bare
 * nanoTime pair are judged: JMH's comparison of two forks is printed beside it as {@code percall.jmh.*}), per message of the sample persister (JMH {@link PerMessageCost}), start-up
 * ({@link StartupBenchmark}) and the agent jar's size. Prints each figure with its error, then one line per budget,
 * {@code name value budget PASS|FAIL}, value and budget in the same unit. The budgets are information, not a test:
 * the exit status is 0 whenever the benchmarks ran, whatever they found.
 *
 * <p>The per-call and per-message budgets are judged on the CPU time of the benchmark threads, which a busy machine
 * does not inflate by the time a thread waits for a core (see {@link CpuTimeProfiler}); wall-clock figures are printed
 * beside them. The per-message overhead is measured with both handlers in one JVM taking turns (see
 * {@link PerMessageCost}), and cross-checked against the per-call figures.
 *
 * <pre>
 * ./run-benchmarks.sh [--quick] [--startup]
 * java -Dproject.root=. -cp benchmarks/target/benchmarks.jar io.monasca.agent.benchmarks.Budgets [--quick] [--startup]
 * </pre>
 */
public final class Budgets {
    static final double PAIR_BUDGET_NS = 10;
    static final double DISABLED_BUDGET_NS = 1;
    static final double TWO_THREADS_BUDGET_RATIO = 2;
    static final double MESSAGE_BUDGET_PCT = 1;
    static final double JAR_BUDGET_MIB = 5;
    static final String CPU = CpuTimeProfiler.LABEL;
    static final String ALLOC = "gc.alloc.rate.norm";
    static final String JAR = "java -jar benchmarks/target/benchmarks.jar";

    /** How long each part runs: quick (about a minute and a half on a quiet machine) or full (about ten minutes). */
    record Settings(String name, int perCallRounds, int warmups, TimeValue warmupTime, int iterations,
                    TimeValue iterationTime, int pairedForks, int pairedRounds, int messageForks, int messageWarmups,
                    TimeValue messageWarmupTime, int messageIterations, TimeValue messageIterationTime,
                    int sideBySideForks, int startupRounds, int startupOnlyRounds) {
        static final Settings QUICK = new Settings("quick", 1, 5, TimeValue.milliseconds(200), 10,
                TimeValue.milliseconds(100), 3, 30, 1, 8, TimeValue.milliseconds(500), 40, TimeValue.milliseconds(200),
                0, 3, 5);
        static final Settings FULL = new Settings("full", 5, 5, TimeValue.milliseconds(500), 6,
                TimeValue.milliseconds(500), 10, 50, 3, 10, TimeValue.seconds(1), 60, TimeValue.milliseconds(500), 2, 7,
                15);
    }

    /**
     * A value and its error, the half-width of a confidence interval: a mean with JMH's 99.9 % error, pooled over the
     * iterations of all forks as JMH pools them, or a median with the wider side of its 95 % interval (order
     * statistics, which a few iterations hit by a busy machine do not widen).
     */
    record Figure(double value, double error) {
        static Figure mean(List<Double> values) {
            return new Figure(Stats.mean(values), Stats.error999(values));
        }

        /** A mean with the half-width of its 95 % t-interval (for a few values each already an average). */
        static Figure meanCi95(List<Double> values) {
            return new Figure(Stats.mean(values), Stats.ci95(values));
        }

        static Figure median(List<Double> values) {
            double median = Stats.median(values);
            double[] ci = Stats.medianCi95(values);
            return new Figure(median, Math.max(median - ci[0], ci[1] - median));
        }

        Figure minus(Figure other) {
            return new Figure(value - other.value, Math.hypot(error, other.error));
        }

        Figure over(Figure other) {
            double ratio = value / other.value;
            return new Figure(ratio, Math.abs(ratio) * Math.hypot(error / value, other.error / other.value));
        }

        Figure times(double factor) {
            return new Figure(value * factor, error * Math.abs(factor));
        }

        /** The difference from {@code zero} is no larger than its error: none this run could tell. */
        boolean withinNoiseOf(double zero) {
            return Math.abs(value - zero) <= error;
        }

        String text(String format) {
            return String.format(Locale.ROOT, format + " ± " + format, value, error);
        }
    }

    /** One JMH benchmark's measurement iterations, over all forks and rounds. */
    static final class Measured {
        final List<Double> wall = new ArrayList<>();
        final List<Double> cpu = new ArrayList<>();
        final List<Double> alloc = new ArrayList<>();
        /** The median CPU time of each fork, in the order of the rounds. */
        final List<Double> forkCpu = new ArrayList<>();

        /** Adds the iterations of one fork. */
        void addFork(List<IterationResult> iterations) {
            Measured fork = new Measured();
            fork.add(iterations);
            forkCpu.add(Stats.median(fork.cpu));
            add(iterations);
        }

        void add(List<IterationResult> iterations) {
            for (IterationResult it : iterations) {
                wall.add(it.getPrimaryResult().getScore());
                cpu.add(secondary(it, CPU));
                alloc.add(secondary(it, ALLOC));
            }
        }
    }

    /** A per-call benchmark method of {@link PerCallCost}, run with this many threads. */
    record Variant(String method, int threads) {
        String label() {
            return threads == 1 ? method : method + ", " + threads + " threads";
        }
    }

    private final Settings settings;
    private final Path root;
    private final List<Budget> budgets = new ArrayList<>();
    /** The error of each budget's figure, where it has one. */
    private final Map<String, Figure> errors = new HashMap<>();
    /** The advice's CPU time per call (agent advice minus plain call), for the per-message cross-check. */
    private Figure perCallAdvice;

    Budgets(Settings settings, Path root) {
        this.settings = settings;
        this.root = root;
    }

    public static void main(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        boolean startupOnly = List.of(args).contains("--startup");
        for (String arg : args) {
            if (!arg.equals("--quick") && !arg.equals("--startup")) {
                System.err.println("usage: Budgets [--quick] [--startup]   (unknown argument " + arg + ")");
                System.exit(2);
            }
        }
        try {
            new Budgets(quick ? Settings.QUICK : Settings.FULL,
                    Path.of(System.getProperty("project.root", ".")).toAbsolutePath().normalize()).run(startupOnly);
        } catch (Throwable t) {
            System.out.flush();
            System.err.println("the benchmarks could not run: " + t);
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    /** All the benchmarks, or ({@code startupOnly}) the start-up benchmark with more rounds, and the jar. */
    void run(boolean startupOnly) throws Exception {
        Path agentJar = root.resolve("agent/target/monasca-persister-agent.jar");
        if (!Files.isRegularFile(agentJar)) {
            throw new IllegalStateException(agentJar + " is missing: build first (./run-benchmarks.sh builds)");
        }
        long start = System.nanoTime();
        printHeader(startupOnly);
        if (!startupOnly) {
            perCall();
            pairedPerCall();
            perMessage();
        }
        int rounds = startupOnly ? settings.startupOnlyRounds : settings.startupRounds;
        section("Start-up (StartupBenchmark, " + rounds + " rounds of off, floor and on, in rotating order)",
                "java -Dproject.root=. -cp benchmarks/target/benchmarks.jar " + StartupBenchmark.class.getName() + " " + rounds);
        budgets.addAll(StartupBenchmark.run(root, rounds));
        jarSize(agentJar);

        System.out.println();
        printUncertain();
        System.out.printf(Locale.ROOT, "Budgets (%s mode, %.0f s, load average at the end %s): name value budget "
                        + "PASS|FAIL; per call and per message on the CPU time of the benchmark threads, start-up on wall "
                        + "clock and peak RSS%n",
                settings.name, (System.nanoTime() - start) / 1e9, loadAverage());
        budgets.forEach(b -> System.out.println(b.line()));
    }

    /** A budget judged on a measured figure; the figure's error is kept for {@link #printUncertain}. */
    private void budget(String name, Figure figure, double budget, String format) {
        budgets.add(Budget.atMost(name, figure.value(), budget, format));
        errors.put(name, figure);
    }

    /** The budgets whose verdict this run cannot tell apart from the other one: the budget is within the error. */
    private void printUncertain() {
        for (Budget b : budgets) {
            Figure f = errors.get(b.name());
            if (f != null && Math.abs(f.value() - b.budget()) <= f.error()) {
                System.out.printf(Locale.ROOT, "uncertain: %s is %s, the budget %s is within its error: %s could "
                        + "as well be %s%n", b.name(), f.text("%.2f"), String.format(Locale.ROOT, b.format(), b.budget()),
                        b.passed() ? "PASS" : "FAIL", b.passed() ? "FAIL" : "PASS");
            }
        }
    }

    private void printHeader(boolean startupOnly) {
        System.out.printf(Locale.ROOT, "Agent performance budgets, %s mode, %s%n", settings.name,
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
        System.out.printf(Locale.ROOT, "machine: %d CPUs (%s), %s %s (%s), %s %s; load average %s%n",
                Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), System.getProperty("java.vm.vendor"),
                System.getProperty("os.name"), System.getProperty("os.version"), loadAverage());
        String options = (settings == Settings.QUICK ? " --quick" : "") + (startupOnly ? " --startup" : "");
        System.out.println("command: ./run-benchmarks.sh" + options + "   (java -Dproject.root=. -cp benchmarks/target/"
                + "benchmarks.jar " + Budgets.class.getName() + options + ")");
        System.out.println("errors: after a mean, ± is JMH's 99.9 % error (half-width of the confidence interval);"
                + " after a median, ± is the wider side of its 95 % interval (order statistics), or [low, high];"
                + " a difference no larger than its error is marked (within noise)");
    }

    // ---------------------------------------------------------------------------------------------- per call

    private void perCall() throws Exception {
        // Compared benchmarks run next to each other, and in the reverse order every other round (ABBA), so that a
        // slow drift of a busy machine falls on both.
        Variant plainCall = new Variant("plainCall", 1);
        Variant disabledCall = new Variant("agentDisabled", 1);
        Variant pairCall = new Variant("nanoTimePair", 1);
        Variant agentCall = new Variant("agentAdvice", 1);
        Variant noPercentilesCall = new Variant("agentAdviceNoPercentiles", 1);
        Variant twoThreadsCall = new Variant("agentAdvice", 2);
        Variant micrometerCall = new Variant("micrometerTimer", 1);
        Variant dropwizardCall = new Variant("dropwizardTimer", 1);
        List<Variant> variants = List.of(plainCall, disabledCall, pairCall, agentCall, noPercentilesCall, twoThreadsCall,
                micrometerCall, dropwizardCall);
        section(String.format(Locale.ROOT, "Per call (PerCallCost: %d fork(s) each, %d x %s warm-up, %d x %s "
                                + "measured; forks in alternating order)", settings.perCallRounds, settings.warmups,
                        settings.warmupTime, settings.iterations, settings.iterationTime),
                JAR + " PerCallCost -prof gc -prof " + CpuTimeProfiler.class.getName()
                        + "   (two threads: add -t 2; this run: -f 1 -wi " + settings.warmups + " -w "
                        + settings.warmupTime + " -i " + settings.iterations + " -r " + settings.iterationTime + ")");
        Map<Variant, Measured> measured = new LinkedHashMap<>();
        variants.forEach(v -> measured.put(v, new Measured()));
        for (int round = 0; round < settings.perCallRounds; round++) {
            List<Variant> order = new ArrayList<>(variants);
            if (round % 2 == 1) {
                Collections.reverse(order);
            }
            for (Variant v : order) {
                List<IterationResult> iterations = jmh(PerCallCost.class.getName() + "." + v.method(), v.threads(),
                        Map.of(), 1, settings.warmups, settings.warmupTime, settings.iterations,
                        settings.iterationTime, true);
                Measured fork = new Measured();
                fork.add(iterations);
                measured.get(v).addFork(iterations);
                System.out.printf(Locale.ROOT, "  fork %d/%d %-24s CPU median %s, mean %s ns/op; wall mean %s ns/op;"
                                + " %.3f B/op%n", round + 1, settings.perCallRounds, v.label(),
                        Figure.median(fork.cpu).text("%.2f"), Figure.mean(fork.cpu).text("%.2f"),
                        Figure.mean(fork.wall).text("%.2f"), Stats.mean(fork.alloc));
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "  %-24s %-16s %-16s %-18s %s%n", "benchmark (ns/op)", "CPU median", "CPU mean",
                "wall mean (JMH)", "B/op (-prof gc)");
        for (Map.Entry<Variant, Measured> e : measured.entrySet()) {
            Measured m = e.getValue();
            System.out.printf(Locale.ROOT, "  %-24s %-16s %-16s %-18s %s%n", e.getKey().label(),
                    Figure.median(m.cpu).text("%.2f"), Figure.mean(m.cpu).text("%.2f"),
                    Figure.mean(m.wall).text("%.2f"), Figure.mean(m.alloc).text("%.3f"));
        }
        System.out.println();
        if (settings.perCallRounds > 1) {
            System.out.printf(Locale.ROOT, "  comparisons: CPU paired by round (the mean of the %d differences of two "
                    + "forks' medians, ± its 95 %% t-interval: forks differ more than iterations do), CPU mean pooled, "
                    + "[wall mean pooled]%n", settings.perCallRounds);
        } else {
            System.out.println("  comparisons: CPU median, CPU mean, [wall mean]. One fork each: the errors are those"
                    + " within a fork, and forks differ more (run the full mode for that)");
        }
        Figure agentMinusPair = compare("agent advice - bare nanoTime pair", measured, agentCall, pairCall, false);
        Figure noPercentilesMinusPair = compare("no percentiles - bare nanoTime pair", measured, noPercentilesCall,
                pairCall, false);
        compare("percentiles on - off", measured, agentCall, noPercentilesCall, false);
        perCallAdvice = compare("agent advice - plain call", measured, agentCall, plainCall, false);
        Figure agentMinusMicrometer = compare("agent advice - Micrometer Timer", measured, agentCall, micrometerCall,
                false);
        Figure agentMinusDropwizard = compare("agent advice - Dropwizard Timer", measured, agentCall, dropwizardCall,
                false);
        Figure disabledMinusPlain = compare("agent disabled - plain call", measured, disabledCall, plainCall, false);
        Figure twoOverOne = compare("agent, 2 threads / 1 thread", measured, twoThreadsCall, agentCall, true);
        double allocated = 0;
        for (Variant v : List.of(agentCall, noPercentilesCall, disabledCall, twoThreadsCall)) {
            allocated = Math.max(allocated, Stats.mean(measured.get(v).alloc));
        }
        // JMH's comparison of two forks, beside the paired figure the two budget lines of issue 19 are judged on
        budget("percall.jmh.agent_minus_pair_ns", agentMinusPair, PAIR_BUDGET_NS, "%.2f");
        budget("percall.jmh.agent_no_percentiles_minus_pair_ns", noPercentilesMinusPair, PAIR_BUDGET_NS, "%.2f");
        budget("percall.agent_minus_micrometer_ns", agentMinusMicrometer, 0, "%.2f");
        budget("percall.agent_minus_dropwizard_ns", agentMinusDropwizard, 0, "%.2f");
        budget("percall.two_threads_over_one_ratio", twoOverOne, TWO_THREADS_BUDGET_RATIO, "%.2f");
        budget("percall.disabled_minus_plain_ns", disabledMinusPlain, DISABLED_BUDGET_NS, "%.2f");
        // To one decimal: JMH's own bookkeeping of an iteration shows as some 0.01 B/op at most, while a call that
        // allocated would show 16 B/op (the smallest object), or 1.6 if only one call in ten did.
        budgets.add(Budget.atMost("percall.agent_alloc_bytes_per_call", Math.round(allocated * 10) / 10.0, 0,
                "%.1f"));
    }

    /**
     * The per-call cost again, paired inside each JVM ({@link PairedPerCall}), which resolves what JMH's comparison of
     * two forks cannot, and beside it the floor: what any exact per-interval histogram pays per call on this machine.
     */
    private void pairedPerCall() throws Exception {
        section(String.format(Locale.ROOT, "Per call, paired in one JVM (PairedPerCall: %d forks of each variant, "
                        + "%d ABBA rounds each of %,d calls against as many bare nanoTime pairs; CPU time)",
                settings.pairedForks, settings.pairedRounds, PairedPerCall.CALLS_PER_SLICE),
                "java -cp benchmarks/target/benchmarks.jar " + PairedPerCall.class.getName() + " <variant> <rounds>");
        Map<String, List<Double>> forks = PairedPerCall.forks(root.resolve("benchmarks/target/benchmarks.jar"),
                settings.pairedForks, settings.pairedRounds);
        System.out.println();
        System.out.printf(Locale.ROOT, "  %-26s %-18s %s%n", "variant", "ns over the pair", "(mean of the forks ± its 95 % "
                + "t-interval; the forks)");
        Map<String, Figure> figures = new LinkedHashMap<>();
        forks.forEach((variant, means) -> {
            Figure f = Figure.meanCi95(means);
            figures.put(variant, f);
            System.out.printf(Locale.ROOT, "  %-26s %-18s %s%n", variant, f.text("%.2f"),
                    means.stream().map(m -> String.format(Locale.ROOT, "%.1f", m)).toList());
        });
        Figure agentMinusFloor = pairedDifference("agent - floor (fence, epoch and bucket)", forks, "agent",
                "floor-fence-epoch-bucket");
        pairedDifference("percentiles on - off", forks, "agent", "agent-no-percentiles");
        Figure agentMinusHdr = pairedDifference("agent - HdrHistogram SingleWriterRecorder", forks, "agent",
                "hdrhistogram");
        Figure floor = figures.get("floor-fence-epoch-bucket");
        System.out.printf(Locale.ROOT, "  floor: an exact per-interval histogram without a lock pays at least a fence, a "
                        + "read of the epoch and a bucket increment in the epoch's half per call: %s ns here, which "
                        + "leaves %.2f ns of the %.0f ns budget for the rest of the agent's work (its thread's cell, the "
                        + "nesting flag, the started count, count, total, min and max); it takes %s ns%n",
                floor.text("%.2f"), PAIR_BUDGET_NS - floor.value(), PAIR_BUDGET_NS, agentMinusFloor.text("%.2f"));
        budget("percall.agent_minus_pair_ns", figures.get("agent"), PAIR_BUDGET_NS, "%.2f");
        budget("percall.agent_no_percentiles_minus_pair_ns", figures.get("agent-no-percentiles"), PAIR_BUDGET_NS,
                "%.2f");
        budget("percall.agent_minus_hdrhistogram_ns", agentMinusHdr, 0, "%.2f");
    }

    /** {@code a - b} paired by pass (the two forks of one pass ran next to each other), with its 95 % t-interval. */
    private static Figure pairedDifference(String what, Map<String, List<Double>> forks, String a, String b) {
        List<Double> differences = new ArrayList<>();
        for (int i = 0; i < forks.get(a).size(); i++) {
            differences.add(forks.get(a).get(i) - forks.get(b).get(i));
        }
        Figure f = Figure.meanCi95(differences);
        System.out.printf(Locale.ROOT, "  %-42s %s%n", what, noted(f, 0, " ns"));
        return f;
    }

    /**
     * Prints {@code a - b} (or {@code a / b}) of the CPU time, paired by round when there are several (else of the
     * medians), of the CPU means and of the wall-clock means, each with its error and whether it is within noise;
     * returns the first, which the budgets are judged on.
     */
    private Figure compare(String what, Map<Variant, Measured> measured, Variant a, Variant b, boolean ratio) {
        Measured x = measured.get(a);
        Measured y = measured.get(b);
        Figure cpu;
        String perRound = "";
        if (settings.perCallRounds > 1) {
            List<Double> pairs = new ArrayList<>();
            for (int r = 0; r < x.forkCpu.size(); r++) {
                pairs.add(ratio ? x.forkCpu.get(r) / y.forkCpu.get(r) : x.forkCpu.get(r) - y.forkCpu.get(r));
            }
            cpu = Figure.meanCi95(pairs);
            perRound = " " + pairs.stream().map(d -> String.format(Locale.ROOT, "%.1f", d)).toList();
        } else {
            cpu = ratio ? Figure.median(x.cpu).over(Figure.median(y.cpu)) : Figure.median(x.cpu).minus(Figure.median(y.cpu));
        }
        Figure mean = ratio ? Figure.mean(x.cpu).over(Figure.mean(y.cpu)) : Figure.mean(x.cpu).minus(Figure.mean(y.cpu));
        Figure wall = ratio ? Figure.mean(x.wall).over(Figure.mean(y.wall))
                : Figure.mean(x.wall).minus(Figure.mean(y.wall));
        double zero = ratio ? 1 : 0;
        String unit = ratio ? " x" : " ns";
        System.out.printf(Locale.ROOT, "    %-34s %-32s %-32s [%s]%s%n", what, noted(cpu, zero, unit),
                noted(mean, zero, unit), noted(wall, zero, unit), perRound);
        return cpu;
    }

    private static String noted(Figure f, double zero, String unit) {
        return f.text("%.2f") + unit + (f.withinNoiseOf(zero) ? " (within noise)" : "");
    }

    // ------------------------------------------------------------------------------------------- per message

    private void perMessage() throws Exception {
        int turn = PerMessageCost.TURN;
        section(String.format(Locale.ROOT, "Per message (PerMessageCost.interleaved: the sample persister's "
                                + "MetricHandler, plain and woven, in turns of %d messages; %d fork(s), %d x %s warm-up, "
                                + "%d x %s measured; batches of %d)", turn, settings.messageForks, settings.messageWarmups,
                        settings.messageWarmupTime, settings.messageIterations, settings.messageIterationTime,
                        PerMessageCost.BATCH_SIZE),
                JAR + " PerMessageCost.interleaved -f " + settings.messageForks + " -wi " + settings.messageWarmups
                        + " -w " + settings.messageWarmupTime + " -i " + settings.messageIterations + " -r "
                        + settings.messageIterationTime + " -rf json   (per-iteration times of each handler in "
                        + "jmh-result.json; the ratios below are per iteration)");
        List<IterationResult> iterations = jmh(PerMessageCost.class.getName() + ".interleaved", 1, Map.of(),
                settings.messageForks, settings.messageWarmups, settings.messageWarmupTime, settings.messageIterations,
                settings.messageIterationTime, false);
        List<Double> plainCpu = perMessage(iterations, "plainCpuNanos", "plainMessages");
        List<Double> agentCpu = perMessage(iterations, "agentCpuNanos", "agentMessages");
        List<Double> plainWall = perMessage(iterations, "plainWallNanos", "plainMessages");
        List<Double> agentWall = perMessage(iterations, "agentWallNanos", "agentMessages");
        List<Double> cpuNs = new ArrayList<>();
        List<Double> cpuPct = new ArrayList<>();
        List<Double> wallNs = new ArrayList<>();
        List<Double> wallPct = new ArrayList<>();
        for (int i = 0; i < iterations.size(); i++) {
            cpuNs.add(agentCpu.get(i) - plainCpu.get(i));
            cpuPct.add((agentCpu.get(i) / plainCpu.get(i) - 1) * 100);
            wallNs.add(agentWall.get(i) - plainWall.get(i));
            wallPct.add((agentWall.get(i) / plainWall.get(i) - 1) * 100);
        }
        System.out.printf(Locale.ROOT, "  %d iterations; median [95 %% CI of the median], and mean ± 99.9 %% error%n",
                iterations.size());
        System.out.printf(Locale.ROOT, "  %-34s %-34s %s%n", "", "thread CPU time", "wall clock");
        row("plain handler, ns/message", plainCpu, plainWall, "%.0f");
        row("agent's handler, ns/message", agentCpu, agentWall, "%.0f");
        row("advice, ns/message", cpuNs, wallNs, "%.1f");
        row("advice, % of the plain handler", cpuPct, wallPct, "%.2f");
        if (perCallAdvice != null) {
            double plain = Stats.median(plainCpu);
            double calls = 1 + 1.0 / PerMessageCost.BATCH_SIZE;
            System.out.printf(Locale.ROOT, "  cross-check from the per-call figures: (agent advice - plain call) x %.3f"
                            + " calls/message = %s ns = %.2f %% of the plain handler's %.0f ns%n", calls,
                    perCallAdvice.times(calls).text("%.1f"), perCallAdvice.value() * calls / plain * 100, plain);
        }
        budget("permessage.overhead_pct", Figure.median(cpuPct), MESSAGE_BUDGET_PCT, "%.2f");
        if (settings.sideBySideForks > 0) {
            sideBySide();
        }
    }

    /** The per-message benchmark as JMH compares two benchmarks: each handler in its own forks, one after the other. */
    private void sideBySide() throws Exception {
        int forks = settings.sideBySideForks;
        int iterations = 10;
        TimeValue iterationTime = TimeValue.milliseconds(500);
        System.out.printf(Locale.ROOT, "%n  Side by side in separate JVMs (PerMessageCost.perMessage, %d forks each, "
                        + "%d x %s warm-up, %d x %s measured): not paired, so slower drifts of a busy machine stay in%n",
                forks, settings.messageWarmups, settings.messageWarmupTime, iterations, iterationTime);
        System.out.println("  reproduce: " + JAR + " PerMessageCost.perMessage -f " + forks + " -wi "
                + settings.messageWarmups + " -w " + settings.messageWarmupTime + " -i " + iterations + " -r "
                + iterationTime + " -prof " + CpuTimeProfiler.class.getName() + " -prof gc");
        Map<String, Measured> handlers = new LinkedHashMap<>();
        for (String handler : List.of("plain", "agent")) {
            Measured m = new Measured();
            m.add(jmh(PerMessageCost.class.getName() + ".perMessage", 1, Map.of("handler", handler), forks,
                    settings.messageWarmups, settings.messageWarmupTime, iterations, iterationTime, true));
            handlers.put(handler, m);
            System.out.printf(Locale.ROOT, "  handler=%-6s CPU %s ns/message, wall %s ns/message, %s B/message%n",
                    handler, Figure.mean(m.cpu).text("%.0f"), Figure.mean(m.wall).text("%.0f"),
                    Figure.mean(m.alloc).text("%.1f"));
        }
        Figure cpuPlain = Figure.mean(handlers.get("plain").cpu);
        Figure cpu = Figure.mean(handlers.get("agent").cpu).minus(cpuPlain);
        Figure wall = Figure.mean(handlers.get("agent").wall).minus(Figure.mean(handlers.get("plain").wall));
        System.out.printf(Locale.ROOT, "  agent - plain: CPU %s ns (%s %%)%s, wall %s ns%s%n", cpu.text("%.0f"),
                cpu.times(100 / cpuPlain.value()).text("%.1f"), cpu.withinNoiseOf(0) ? " (within noise)" : "",
                wall.text("%.0f"), wall.withinNoiseOf(0) ? " (within noise)" : "");
    }

    private static void row(String what, List<Double> cpu, List<Double> wall, String format) {
        System.out.printf(Locale.ROOT, "  %-34s %-34s %s%n", what, medianText(cpu, format), medianText(wall, format));
    }

    private static String medianText(List<Double> values, String format) {
        double[] ci = Stats.medianCi95(values);
        return String.format(Locale.ROOT, format + " [" + format + ", " + format + "]; " + format + " ± " + format,
                Stats.median(values), ci[0], ci[1], Stats.mean(values), Stats.error999(values));
    }

    private static List<Double> perMessage(List<IterationResult> iterations, String nanos, String messages) {
        List<Double> values = new ArrayList<>();
        for (IterationResult it : iterations) {
            values.add(secondary(it, nanos) / secondary(it, messages));
        }
        return values;
    }

    // ------------------------------------------------------------------------------------------------ jar size

    private void jarSize(Path agentJar) throws IOException {
        long bytes = Files.size(agentJar);
        section("Agent jar", "ls -l agent/target/monasca-persister-agent.jar");
        System.out.printf(Locale.ROOT, "  %s: %d bytes = %.2f MiB%n", root.relativize(agentJar), bytes,
                bytes / 1048576.0);
        budgets.add(Budget.atMost("jar.agent_size_mib", bytes / 1048576.0, JAR_BUDGET_MIB, "%.2f"));
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private static void section(String title, String reproduce) {
        System.out.println();
        System.out.println("== " + title);
        System.out.println("   reproduce: " + reproduce);
    }

    /** Runs one benchmark (all its forks) and returns its measurement iterations. */
    static List<IterationResult> jmh(String benchmark, int threads, Map<String, String> params, int forks, int warmups,
                                     TimeValue warmupTime, int iterations, TimeValue iterationTime, boolean gc)
            throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(benchmark) + "$")
                .forks(forks)
                .threads(threads)
                .warmupIterations(warmups)
                .warmupTime(warmupTime)
                .measurementIterations(iterations)
                .measurementTime(iterationTime)
                .addProfiler(CpuTimeProfiler.class)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        params.forEach(options::param);
        if (gc) {
            options.addProfiler(GCProfiler.class);
        }
        List<IterationResult> measured = new ArrayList<>();
        for (RunResult run : new Runner(options.build()).run()) {
            for (BenchmarkResult fork : run.getBenchmarkResults()) {
                measured.addAll(fork.getIterationResults());
            }
        }
        if (measured.isEmpty()) {
            throw new IllegalStateException("JMH measured nothing of " + benchmark + " " + params);
        }
        return measured;
    }

    static double secondary(IterationResult iteration, String label) {
        for (Map.Entry<String, Result> e : iteration.getSecondaryResults().entrySet()) {
            if (e.getKey().equals(label) || e.getKey().endsWith("." + label) || e.getKey().endsWith("·" + label)) {
                return e.getValue().getScore();
            }
        }
        throw new IllegalStateException("no " + label + " in " + iteration.getSecondaryResults().keySet());
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
    }
}
