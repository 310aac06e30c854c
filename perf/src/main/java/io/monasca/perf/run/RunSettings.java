package io.monasca.perf.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a {@code perf run} needs, checked by the CLI before it starts anything. {@code mode} is
 * {@code attach} or {@code enable} (one persister JVM, the agent switched between windows: {@code backlogWindows},
 * {@code rateWindows} of {@code windowMessages} each, or, when that is 0, of as many messages as take about
 * {@code windowDuration}, after a warm-up of at most {@code warmupTime}; {@code backlogWindows} {@link #ADAPTIVE}: as many
 * as reach a 95 % half-width of {@code precision} points within {@code maxTime}; {@code rate} 0 for the fixed-rate phase means half the
 * backlog phase's throughput) or {@code restart} (a JVM per round: {@code rounds} of {@code messages},
 * {@code warmup}, {@code settle}).
 */
public record RunSettings(
        String mode,
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
        boolean terminal,
        Duration warmupTime,
        long windowMessages,
        Duration windowDuration,
        int backlogWindows,
        int rateWindows,
        double precision,
        Duration maxTime,
        Duration pathPostEvery) {
    /** {@code backlogWindows} of the adaptive design: windows until {@code precision} or {@code maxTime}. */
    public static final int ADAPTIVE = -1;
    public static final String RESTART = "restart";
    public static final String ATTACH = "attach";
    public static final String ENABLE = "enable";

    /**
     * How long to wait for the agent's counts of calls already made: it sends them with its next interval, so two
     * intervals and two seconds.
     */
    public Duration agentCountsTimeout() {
        return agentInterval.multipliedBy(2).plusSeconds(2);
    }

    /** Toggle mode with the agent loaded by -javaagent and switched by its enable/disable operations. */
    public boolean enable() {
        return ENABLE.equals(mode);
    }

    /** The backlog phase runs until the precision or the time budget, not a fixed number of windows. */
    public boolean adaptive() {
        return backlogWindows == ADAPTIVE;
    }

    public boolean toggle() {
        return !RESTART.equals(mode);
    }

    /** The agent's settings, as after {@code -javaagent:<jar>=} or in an attach: sending to the statsd listener. */
    public String agentOptions(int statsdPort) {
        List<String> options = new java.util.ArrayList<>();
        if (agentConfig != null) options.add("config=" + agentConfig.toAbsolutePath());
        options.add("statsd.host=127.0.0.1");
        options.add("statsd.port=" + statsdPort);
        options.add("interval=" + agentInterval.toMillis() + "ms");
        options.add("per-thread=" + perThread);
        options.add("statsd.format=" + statsdFormat);
        return String.join(",", options);
    }

    /** One batch per persister thread: the unit of a window, so that every window ends on full batches. */
    public long batchUnit() {
        return (long) batchSize * persisterThreads;
    }
}
