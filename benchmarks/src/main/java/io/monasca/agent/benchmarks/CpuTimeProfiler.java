package io.monasca.agent.benchmarks;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;

/**
 * CPU time of the benchmark's JVM per operation ({@code cpu.time.norm}, ns/op), beside JMH's wall-clock score. On a
 * busy machine a benchmark thread waits for a core, and that wait is in the wall-clock score but not in its CPU
 * time; the CPU time also holds what the JVM's own threads (GC, JIT) spent for the operations. Normalized by all
 * operations of all threads, like {@code -prof gc}'s {@code gc.alloc.rate.norm}.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar PerCallCost -prof io.monasca.agent.benchmarks.CpuTimeProfiler</pre>
 */
public final class CpuTimeProfiler implements InternalProfiler {
    public static final String LABEL = "cpu.time.norm";

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long startNanos;

    @Override
    public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
        startNanos = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmark, IterationParams iteration,
                                                       IterationResult result) {
        long cpu = os.getProcessCpuTime() - startNanos;
        long ops = result.getMetadata().getAllOps();
        return List.of(new ScalarResult(LABEL, ops == 0 ? Double.NaN : (double) cpu / ops, "ns/op",
                AggregationPolicy.AVG));
    }

    @Override
    public String getDescription() {
        return "CPU time of the JVM per operation";
    }
}
