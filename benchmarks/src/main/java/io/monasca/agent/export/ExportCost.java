package io.monasca.agent.export;

import io.monasca.agent.config.AgentSettings;
import io.monasca.agent.recording.InjectedCalls;
import io.monasca.agent.recording.Recorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What one interval's export costs the exporter thread, per operation: close the interval, read the cells (and their
 * histograms), aggregate, format the lines; with percentiles on (the default) and off. Sending is not included (a
 * datagram costs the same either way, and the percentiles add three lines to some twenty). Each operation has one
 * cell, whose interval held 1,000 calls of log-normal durations (median 1 ms, a factor of e either way for one
 * standard deviation: some 8 octaves, 300 buckets), recorded before each measured export.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ExportCost</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@State(Scope.Thread)
public class ExportCost {
    static final int OPERATIONS = 4;

    @Param({"50,95,99", "none"})
    public String percentiles;

    private IntervalAggregator aggregator;
    private LineFormatter formatter;
    private final long[] durations = new long[1000];

    @Setup
    public void setUp() {
        AgentSettings settings = AgentSettings.parse("percentiles=" + percentiles, new Properties(), Map.of());
        Recorder.start(OPERATIONS, !settings.percentiles.isEmpty());
        List<String> names = new ArrayList<>();
        for (int i = 0; i < OPERATIONS; i++) {
            names.add("op" + i);
        }
        aggregator = new IntervalAggregator(settings, names, op -> true);
        formatter = new LineFormatter(settings.format);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < durations.length; i++) {
            durations[i] = (long) (1_000_000 * Math.exp(random.nextGaussian()));
        }
    }

    @Setup(Level.Invocation)
    public void recordAnInterval() {
        for (int op = 0; op < OPERATIONS; op++) {
            InjectedCalls.record(op, durations);
        }
    }

    @Benchmark
    public int exportOneInterval() {
        int bytes = 0;
        for (Series s : aggregator.aggregate(Recorder.closeInterval(), 0, 0)) {
            bytes += formatter.format(s).length();
        }
        return bytes;
    }
}
