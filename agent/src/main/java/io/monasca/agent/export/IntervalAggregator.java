package io.monasca.agent.export;

import io.monasca.agent.AgentLog;
import io.monasca.agent.config.AgentSettings;
import io.monasca.agent.recording.CellReading;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Turns one interval's cell readings into series: per operation one instance series of each statistic, and, when
 * enabled, one per thread name. At most {@code per-thread.max} distinct thread names per operation are ever sent
 * over the JVM's life (calls of threads named otherwise are summed as {@code other}): Monasca keeps every dimension
 * set it receives for good, so a cap per interval would not bound what it stores. Its cost grows with the number of
 * cells and series, never with the number of calls. Used by the exporter thread only.
 */
final class IntervalAggregator {
    static final String OTHER_THREADS = "other";

    private final AgentSettings settings;
    private final List<String> operations;
    private final IntPredicate countsItems;
    private final boolean[] seen;
    private final List<Set<String>> threadNames = new ArrayList<Set<String>>();
    private final Map<String, String> instanceDimensions;

    IntervalAggregator(AgentSettings settings, List<String> operations, IntPredicate countsItems) {
        this.settings = settings;
        this.operations = operations;
        this.countsItems = countsItems;
        this.seen = new boolean[operations.size()];
        for (int i = 0; i < operations.size(); i++) {
            threadNames.add(new HashSet<String>());
        }
        this.instanceDimensions = Collections.unmodifiableMap(new LinkedHashMap<String, String>(settings.dimensions));
    }

    /** Whether any operation has been called since the agent started. */
    boolean anySeen() {
        for (boolean s : seen) {
            if (s) {
                return true;
            }
        }
        return false;
    }

    List<Series> aggregate(List<CellReading> readings, long agentErrors, long sendFailures) {
        int n = operations.size();
        Totals[] instance = new Totals[n];
        List<Map<String, Totals>> perThread = new ArrayList<Map<String, Totals>>();
        for (int i = 0; i < n; i++) {
            instance[i] = new Totals(!settings.percentiles.isEmpty());
            perThread.add(new LinkedHashMap<String, Totals>());
        }
        for (CellReading r : readings) {
            if (r.operation >= n) {
                continue;
            }
            seen[r.operation] = true;
            instance[r.operation].add(r);
            if (settings.perThread) {
                String thread = threadLabel(r.operation, WireText.dimensionValue(r.threadName));
                Totals t = perThread.get(r.operation).get(thread);
                if (t == null) {
                    t = new Totals(settings.perThreadPercentiles && !settings.percentiles.isEmpty());
                    perThread.get(r.operation).put(thread, t);
                }
                t.add(r);
            }
        }
        List<Series> series = new ArrayList<Series>();
        for (int i = 0; i < n; i++) {
            if (!seen[i]) {
                continue; // counters start once an operation has been called
            }
            String base = settings.prefix + "." + operations.get(i) + ".";
            add(series, base, instance[i], instanceDimensions, countsItems.test(i));
            for (Map.Entry<String, Totals> e : perThread.get(i).entrySet()) {
                Map<String, String> dims = new LinkedHashMap<String, String>(instanceDimensions);
                dims.put("thread", e.getKey());
                add(series, base + "thread.", e.getValue(), dims, countsItems.test(i));
            }
            if (instance[i].percentiles != null && instance[i].percentiles.lost()) {
                AgentLog.warnOnce("percentiles-lost", "operation " + operations.get(i) + ": a thread's histogram"
                        + " overflowed its carry table in an interval (over " + io.monasca.agent.recording.Cell.CARRY_ENTRIES + " buckets with 65536 calls or"
                        + " more each); that interval's percentiles are not sent (counts and times are)");
            }
        }
        series.add(Series.counter(settings.prefix + ".agent.errors", agentErrors, instanceDimensions));
        series.add(Series.counter(settings.prefix + ".agent.send_failures", sendFailures, instanceDimensions));
        return series;
    }

    private void add(List<Series> out, String base, Totals t, Map<String, String> dims, boolean items) {
        out.add(Series.counter(base + "received", t.received, dims));
        out.add(Series.counter(base + "completed", t.completed, dims));
        out.add(Series.counter(base + "failed", t.failed, dims));
        if (items) {
            out.add(Series.counter(base + "items", t.items, dims));
        }
        if (t.ended() > 0) {
            out.add(Series.milliseconds(base + "time.avg", t.totalNanos / t.ended(), dims));
            out.add(Series.milliseconds(base + "time.min", t.minNanos, dims));
            out.add(Series.milliseconds(base + "time.max", t.maxNanos, dims));
            double[] values = t.percentiles == null ? null
                    : t.percentiles.values(settings.percentiles, t.minNanos, t.maxNanos);
            for (int q = 0; values != null && q < values.length; q++) {
                out.add(Series.milliseconds(base + "time." + settings.percentiles.get(q).label, values[q], dims));
            }
        }
    }

    private String threadLabel(int operation, String name) {
        Set<String> known = threadNames.get(operation);
        if (known.contains(name)) {
            return name;
        }
        if (known.size() < settings.perThreadMax) {
            known.add(name);
            return name;
        }
        return OTHER_THREADS;
    }
}
