package io.monasca.perf.result;

import io.monasca.perf.cpu.CpuPerMessage;
import io.monasca.perf.cpu.ProcessCpu;
import io.monasca.perf.source.IntervalTiming;
import io.monasca.perf.source.Reading;
import io.monasca.perf.source.Timing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one round measured. Filled in by {@link RoundRunner}; read by the report. */
public final class RoundResult implements CpuPerMessage {
    public int round;
    public String mode;
    public long produced;
    public long received;
    public long persisted;
    /** From the first message received to the last point persisted, by the admin source's polls. */
    public double seconds;
    /** persisted / seconds. */
    public double throughput;
    /** received / seconds from the first to the last message received. */
    public double receivedThroughput;
    public double persisterStartSeconds;
    /** When the first message was received, seconds since the persister was started. */
    public double firstReceivedSeconds;
    /**
     * The persister's CPU time from the last poll before its first message to the poll that saw the last one
     * persisted (null where there is no /proc); see {@link ProcessCpu}.
     */
    public ProcessCpu.Span cpu;
    public Map<String, Reading> sources = new LinkedHashMap<>();
    public Map<String, Map<String, Timing>> timings = new LinkedHashMap<>();
    /** Points the database holds for this round, or -1 when not checked. */
    public long stored = -1;
    public List<TimelinePoint> timeline = new ArrayList<>();
    public List<IntervalTiming> intervals = new ArrayList<>();
    /**
     * Messages of the pipeline's own (the agent's points, through the API) the persister handled after the round's
     * load was persisted and its figures taken: never in the round's counts, CPU time or throughput.
     */
    public long pipelineAfter;
    public List<String> mismatches = new ArrayList<>();
    public List<String> errors = new ArrayList<>();
    /** {@code --rate}: the offered rate of the load produced while the persister runs; 0 for a backlog round. */
    public double rate;
    /** When that load was all produced, seconds since the persister was started (it starts when the admin API answers). */
    public double loadEndSeconds = Double.NaN;

    /**
     * The share (0 to 1) of a fixed-rate round's load that was produced before the persister received its first
     * message, at a steady rate from when the load started; NaN for a backlog round.
     */
    public double producedBeforeFirstReceive() {
        if (rate <= 0 || Double.isNaN(loadEndSeconds) || firstReceivedSeconds <= 0) return Double.NaN;
        double load = loadEndSeconds - persisterStartSeconds;
        if (load <= 0) return 1;
        return Math.max(0, Math.min(1, (firstReceivedSeconds - persisterStartSeconds) / load));
    }

    /**
     * Null, or, when at least half of a fixed-rate round's load was produced before the persister received its
     * first message (a JVM start longer than the load), what the round measured in fact: a backlog.
     */
    public String rateNote() {
        double share = producedBeforeFirstReceive();
        if (!(share >= 0.5)) return null;
        return String.format(java.util.Locale.ROOT, "round %d: %.0f %% of its load at %,.0f messages/s (%.1f s of it) was "
                        + "produced before the persister received its first message, %.1f s after its JVM started: it "
                        + "read them as a backlog (%,.0f messages received/s), not at the fixed rate", round, 100 * share, rate,
                loadEndSeconds - persisterStartSeconds, firstReceivedSeconds, receivedThroughput);
    }

    @Override
    public ProcessCpu.Span cpuSpan() {
        return cpu;
    }

    /** CPU time is per message produced. */
    @Override
    public long messageCount() {
        return produced;
    }
}
