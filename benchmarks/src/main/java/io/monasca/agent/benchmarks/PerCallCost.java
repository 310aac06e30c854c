package io.monasca.agent.benchmarks;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.monasca.agent.recording.Recorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * the same class woven by the agent's weaver, calling its real recorder; and the pair feeding a Micrometer {@code Timer}.
 * Run with {@code -prof gc} for bytes allocated per call, and with {@code -t 2} for two contending threads.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@State(Scope.Thread)
public class PerCallCost {
    private Work plain;
    private Work woven;
    private Timer micrometer;
    private int value;

    @Setup
    public void setUp() throws Exception {
        plain = new PlainWork();
        Recorder.start(1);
        woven = (Work) Woven.load(PlainWork.class, "process", 0).getConstructor().newInstance();
        micrometer = Timer.builder("upsert").register(new SimpleMeterRegistry());
    }

    /** Keeps the recorder's intervals turning over as the exporter would (outside the measured calls). */
    @TearDown(org.openjdk.jmh.annotations.Level.Iteration)
    public void closeInterval() {
        Recorder.closeInterval();
    }

    @Benchmark
    public int plainCall() {
        return plain.process(value++);
    }

    @Benchmark
    public long nanoTimePair() {
        long start = System.nanoTime();
        int result = plain.process(value++);
        return result + (System.nanoTime() - start);
    }

    @Benchmark
    public int agentAdvice() {
        return woven.process(value++);
    }

    @Benchmark
    public int micrometerTimer() {
        long start = System.nanoTime();
        int result = plain.process(value++);
        micrometer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return result;
    }
}
