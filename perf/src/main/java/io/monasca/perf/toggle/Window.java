package io.monasca.perf.toggle;

import io.monasca.perf.run.CpuPerMessage;
import io.monasca.perf.run.ProcessCpu;
import io.monasca.perf.source.Reading;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one window of a toggle run measured. Filled in by {@link ToggleRunner}; read by the report. */
public final class Window implements CpuPerMessage {
    /** Position in the run, from 1. */
    public int index;
    public Phase phase;
    /** Measured windows are numbered 1, 2, ... within their phase (ABBA order); warm-up and settle windows are 0. */
    public int number;
    /** {@code off} or {@code on}: the agent's state during the whole window. */
    public String mode;
    /** What the switch before this window did (the agent's answer), or null when the agent stayed as it was. */
    public String switched;
    /** Offered messages/second; 0: the window's messages were sent as fast as possible. */
    public double rate;
    public long produced;
    /** Admin source: messages received and points persisted during the window. */
    public long received;
    public long persisted;
    /** Start of the window, seconds since the persister started. */
    public double startSeconds;
    /** From the start edge (load starts) to the end edge (the last point persisted, seen by the admin source). */
    public double seconds;
    /** The persister's CPU time (user + system) between the edges, split by thread kind; see {@link ProcessCpu}. */
    public ProcessCpu.Span cpu;
    /** Readings per source for the window: admin always, statsd and monasca what the agent sent for it. */
    public Map<String, Reading> sources = new LinkedHashMap<>();
    /** Statsd lines from the persister that arrived for this window (0 for a window with the agent detached). */
    public long statsdLines;
    /** The span whose agent metrics belong to this window (see {@link ToggleRunner}); for the monasca source. */
    public Instant agentFrom;
    public Instant agentTo;
    /**
     * Messages of the pipeline's own (the agent's points, through the API) the persister handled at this window's end
     * edge, after its last load message and before the next window: never in its counts, CPU time or throughput.
     */
    public long pipelineAfter;
    /**
     * Of those, what the agent counted (all of them when it was on at the edge, else 0): they are in this window's
     * statsd and monasca counts beside its load (statsd = monasca = produced + pipelineCounted with the agent on).
     */
    public long pipelineCounted;
    public List<String> mismatches = new ArrayList<>();
    /** The percentile gauges the statsd source received for this window (agent on), per operation. */
    public io.monasca.perf.source.PercentileValues percentiles = new io.monasca.perf.source.PercentileValues();

    public boolean measured() {
        return number > 0;
    }

    public boolean on() {
        return "on".equals(mode);
    }

    /** persisted / seconds. */
    public double throughput() {
        return seconds > 0 ? persisted / seconds : 0;
    }

    @Override
    public ProcessCpu.Span cpuSpan() {
        return cpu;
    }

    /** CPU time is per message received (the admin source's count, equal to what was produced when all is well). */
    @Override
    public long messageCount() {
        return received;
    }

    /** A short name for logs and tables: {@code rate 3/24}, {@code settle}, {@code warm-up}. */
    public String label() {
        if (phase == Phase.WARMUP) return "warm-up";
        return measured() ? phase.label + " " + number : phase.label + " settle";
    }

    /** The run's phases: warm-up, then the backlog (as fast as possible) and the fixed-rate windows. */
    public enum Phase {
        WARMUP("warm-up"), BACKLOG("backlog"), RATE("rate");

        public final String label;

        Phase(String label) {
            this.label = label;
        }
    }
}
