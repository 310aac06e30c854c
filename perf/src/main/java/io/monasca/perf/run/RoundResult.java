package io.monasca.perf.run;

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
    public List<String> mismatches = new ArrayList<>();
    public List<String> errors = new ArrayList<>();

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
