package io.monasca.perf.toggle;

import java.util.ArrayList;
import java.util.List;

/** What a toggle run measured: its windows in order and the run's totals. */
public final class ToggleResult {
    /** Read by the shutdown hook's partial report while the run adds to it. */
    public final List<Window> windows = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The fixed-rate phase's rate (messages/second). */
    public double rate;
    /** How the warm-up went: windows, seconds, and why it ended. */
    public String warmup;
    /** Seconds from starting the persister's JVM to its admin API answering. */
    public double adminUpSeconds;
    /** Where the persister's CPU time was read. */
    public String cpuSource;
    /** Messages produced over the whole run, and the points the database holds at the end (-1: not counted). */
    public long produced;
    public long stored = -1;
    public final List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** What was measured so far, for the report of a run stopped half-way: the windows done, nothing counted at the end. */
    public ToggleResult snapshot() {
        ToggleResult copy = new ToggleResult();
        copy.windows.addAll(windows);
        copy.rate = rate;
        copy.warmup = warmup;
        copy.adminUpSeconds = adminUpSeconds;
        copy.cpuSource = cpuSource;
        copy.produced = copy.windows.stream().mapToLong(w -> w.produced).sum();
        copy.errors.addAll(errors);
        return copy;
    }
}
