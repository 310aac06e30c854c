package io.monasca.agent.benchmarks;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time per operation beside JMH's wall-clock score: {@code cpu.time.norm}, the CPU time of the benchmark's own
 * threads (JMH's workers), and {@code cpu.process.norm}, that of the whole JVM (GC and JIT threads included), in
 * ns/op, normalized by all operations of all threads like {@code -prof gc}'s {@code gc.alloc.rate.norm}. On a busy
 * machine a benchmark thread waits for a core, and that wait is in the wall-clock score but in neither CPU time;
 * the workers' CPU time also leaves out a JIT compilation still under way in another thread.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar PerCallCost -prof io.monasca.agent.benchmarks.CpuTimeProfiler</pre>
 */
public final class CpuTimeProfiler implements InternalProfiler {
    public static final String LABEL = "cpu.time.norm";
    public static final String PROCESS_LABEL = "cpu.process.norm";

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long processStart;
    private Map<Long, Long> workersStart = Map.of();

    @Override
    public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
        workersStart = workerTimes();
        processStart = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmark, IterationParams iteration,
                                                       IterationResult result) {
        long process = os.getProcessCpuTime() - processStart;
        long workers = 0;
        for (Map.Entry<Long, Long> e : workerTimes().entrySet()) {
            workers += e.getValue() - workersStart.getOrDefault(e.getKey(), 0L);
        }
        double ops = result.getMetadata().getAllOps();
        return List.of(new ScalarResult(LABEL, workers / ops, "ns/op", AggregationPolicy.AVG),
                new ScalarResult(PROCESS_LABEL, process / ops, "ns/op", AggregationPolicy.AVG));
    }

    /** CPU time of each live JMH worker thread, by thread id. */
    private Map<Long, Long> workerTimes() {
        Map<Long, Long> times = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains("jmh-worker")) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                if (cpu >= 0) {
                    times.put(info.getThreadId(), cpu);
                }
            }
        }
        return times;
    }

    @Override
    public String getDescription() {
        return "CPU time per operation: of the benchmark threads (cpu.time.norm) and of the whole JVM (cpu.process.norm)";
    }
}
