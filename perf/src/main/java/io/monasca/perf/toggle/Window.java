package io.monasca.perf.toggle;

import io.monasca.perf.cpu.CpuPerMessage;
import io.monasca.perf.cpu.MachineCpu;
import io.monasca.perf.cpu.ProcessCpu;
import io.monasca.perf.source.PercentileValues;
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
    /** The whole machine's CPU time between the edges (/proc/stat): busy, steal, perf's own; null when not read. */
    public MachineCpu.Span machine;
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
    /** The agent's timed calls in the window (every operation's, from its statsd intervals); -1: not counted. */
    public long timedCalls = -1;
    /** What one timed call cost, calibrated in the persister at the window's start edge ("on" windows); or null. */
    public DirectCost.Calibration callCost;
    /** The percentile gauges the statsd source received for this window (agent on), per operation. */
    public PercentileValues percentiles = new PercentileValues();

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

    /** The handler threads' CPU microseconds per message ({@link ProcessCpu#HANDLER_PREFIX}); NaN when not known. */
    public double handlerMicrosPerMessage() {
        return cpu == null ? Double.NaN : cpu.handlerPer(received);
    }

    /** Milliseconds of steal time on all CPUs during the window; NaN when not read. */
    public double stealMillis() {
        return machine == null ? Double.NaN : machine.stealNanos() / 1e6;
    }

    /** Milliseconds of CPU time other processes used during the window (not the persister, not perf); NaN when not read. */
    public double othersMillis() {
        return machine == null || cpu == null ? Double.NaN : machine.othersNanos(cpu.total()) / 1e6;
    }

    /** Milliseconds of CPU time perf itself used (broker, producer, sources) during the window; NaN when not read. */
    public double perfMillis() {
        return machine == null ? Double.NaN : machine.selfNanos() / 1e6;
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
