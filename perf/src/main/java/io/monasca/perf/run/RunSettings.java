package io.monasca.perf.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Everything a {@code perf run} needs, checked by the CLI before it starts anything. */
public record RunSettings(
        int rounds,
        boolean warmup,
        long messages,
        double rate,
        int producerThreads,
        int partitions,
        int persisterThreads,
        int batchSize,
        Duration maxBatchTime,
        List<String> sources,
        Path output,
        Path agentJar,
        Path persisterJar,
        Path agentConfig,
        Duration agentInterval,
        boolean perThread,
        String statsdFormat,
        Duration poll,
        Duration roundTimeout,
        Duration daemonFlush,
        Duration settle,
        boolean useInflux,
        String persisterHeap,
        boolean terminal) {
}
