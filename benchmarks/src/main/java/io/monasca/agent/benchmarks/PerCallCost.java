package io.monasca.agent.benchmarks;

import com.codahale.metrics.MetricRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.monasca.agent.recording.Recorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Cost per call, side by side in one run: a plain call; the same call with a bare pair of {@code System.nanoTime()};
 * the same class woven by the agent's weaver, calling its real recorder, with timing on (with percentiles, the
 * default, and without: {@code percentiles=none}) and with timing switched off ({@code Recorder.setEnabled(false)},
 * as the agent's {@code disable} command does); and the pair feeding a
 * Micrometer {@code Timer} and a Dropwizard Metrics {@code Timer} (the sample persister's own metrics library).
 * Run with {@code -prof gc} for bytes allocated per call, and with {@code -t 2} for two contending threads.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar PerCallCost -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@State(Scope.Thread)
public class PerCallCost {
    /** What all threads share, as they would in a persister: the timed class and the timers. */
    @State(Scope.Benchmark)
    public static class Timed {
        Work plain;
        Work woven;
        Timer micrometer;
        com.codahale.metrics.Timer dropwizard;

        @Setup
        public void setUp() throws Exception {
            plain = new PlainWork();
            Recorder.start(1);
            woven = (Work) Woven.load(PlainWork.class, "process", 0).getConstructor().newInstance();
            micrometer = Timer.builder("upsert").register(new SimpleMeterRegistry());
            dropwizard = new MetricRegistry().timer("upsert");
        }

        /** Keeps the recorder's intervals turning over as the exporter would (outside the measured calls). */
        @TearDown(Level.Iteration)
        public void closeInterval() {
            Recorder.closeInterval();
        }
    }

    /**
     * As {@link Timed}, for the woven call only, with the recorder started as {@code percentiles=none} starts it:
     * cells without a histogram. Its own state, so that the benchmark that uses it never starts the recorder twice.
     */
    @State(Scope.Benchmark)
    public static class TimedWithoutPercentiles {
        Work woven;

        @Setup
        public void setUp() throws Exception {
            Recorder.start(1, false);
            woven = (Work) Woven.load(PlainWork.class, "process", 0).getConstructor().newInstance();
        }

        @TearDown(Level.Iteration)
        public void closeInterval() {
            Recorder.closeInterval();
        }
    }

    /**
     * Timing switched off for the benchmark that asks for it. The flag is static: each benchmark runs in its own
     * forked JVM, and it is switched back on after the benchmark in case they share one ({@code -f 0}).
     */
    @State(Scope.Benchmark)
    public static class TimingOff {
        @Setup
        public void off() {
            Recorder.setEnabled(false);
        }

        @TearDown
        public void on() {
            Recorder.setEnabled(true);
        }
    }

    private int value;

    @Benchmark
    public int plainCall(Timed t) {
        return t.plain.process(value++);
    }

    @Benchmark
    public long nanoTimePair(Timed t) {
        long start = System.nanoTime();
        int result = t.plain.process(value++);
        return result + (System.nanoTime() - start);
    }

    @Benchmark
    public int agentAdvice(Timed t) {
        return t.woven.process(value++);
    }

    @Benchmark
    public int agentAdviceNoPercentiles(TimedWithoutPercentiles t) {
        return t.woven.process(value++);
    }

    @Benchmark
    public int agentDisabled(Timed t, TimingOff off) {
        return t.woven.process(value++);
    }

    @Benchmark
    public int micrometerTimer(Timed t) {
        long start = System.nanoTime();
        int result = t.plain.process(value++);
        t.micrometer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return result;
    }

    @Benchmark
    public int dropwizardTimer(Timed t) {
        long start = System.nanoTime();
        int result = t.plain.process(value++);
        t.dropwizard.update(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return result;
    }
}
