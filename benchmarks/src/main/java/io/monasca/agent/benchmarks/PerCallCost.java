package io.monasca.agent.benchmarks;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.monasca.agent.advice.AdviceFactory;
import io.monasca.agent.recording.Recorder;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
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

import static net.bytebuddy.matcher.ElementMatchers.is;

/**
 * Cost per call, side by side in one run: a plain call; the same call with a bare pair of {@code System.nanoTime()};
 * the same class woven with the agent's real advice and recorder; and the pair feeding a Micrometer {@code Timer}.
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
        Recorder.configure(1);
        var builder = new ByteBuddy().redefine(PlainWork.class);
        for (MethodDescription m : TypeDescription.ForLoadedType.of(PlainWork.class).getDeclaredMethods()) {
            if (m.getName().equals("process")) {
                builder = builder.visit(AdviceFactory.adviceFor(m, 0).on(is(m)));
            }
        }
        woven = (Work) builder.make()
                .load(PerCallCost.class.getClassLoader(), ClassLoadingStrategy.Default.CHILD_FIRST)
                .getLoaded().getConstructor().newInstance();
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
