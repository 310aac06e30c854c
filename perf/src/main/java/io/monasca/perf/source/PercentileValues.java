package io.monasca.perf.source;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The percentile gauges the agent sent ({@code <op>.time.p50}, {@code .time.p99_9}, ...): per operation and
 * percentile, one value per agent interval, in milliseconds. Percentiles of different intervals cannot be merged
 * into the percentile of all their calls, so a span of intervals is summed up by the median and the largest of its
 * intervals' values.
 */
public final class PercentileValues {
    /** operation -> label (p50, p99_9) -> one value per interval. */
    private final Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();

    public void add(String operation, String label, double millis) {
        values.computeIfAbsent(operation, k -> new TreeMap<>(PercentileValues::byQuantile))
                .computeIfAbsent(label, k -> new ArrayList<>()).add(millis);
    }

    public void addAll(PercentileValues other) {
        other.values.forEach((op, byLabel) -> byLabel.forEach((label, list) -> list.forEach(v -> add(op, label, v))));
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public PercentileValues copy() {
        PercentileValues copy = new PercentileValues();
        copy.addAll(this);
        return copy;
    }

    /** Per operation and percentile: how many intervals, the median and the largest of their values. */
    public record Summary(String operation, String label, int intervals, double medianMs, double maxMs) {
    }

    public List<Summary> summaries() {
        List<Summary> out = new ArrayList<>();
        values.forEach((op, byLabel) -> byLabel.forEach((label, list) -> {
            List<Double> sorted = new ArrayList<>(list);
            sorted.sort(null);
            int n = sorted.size();
            double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
            out.add(new Summary(op, label, n, median, sorted.get(n - 1)));
        }));
        return out;
    }

    /** One line per operation: {@code upsert: p50 0.0810 p95 0.2100 ms (median of 12 intervals; largest: ...)}. */
    public List<String> lines() {
        Map<String, StringBuilder> medians = new LinkedHashMap<>();
        Map<String, StringBuilder> maxima = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Summary s : summaries()) {
            medians.computeIfAbsent(s.operation(), k -> new StringBuilder())
                    .append(String.format(Locale.ROOT, " %s %.4f", s.label(), s.medianMs()));
            maxima.computeIfAbsent(s.operation(), k -> new StringBuilder())
                    .append(String.format(Locale.ROOT, " %s %.4f", s.label(), s.maxMs()));
            counts.merge(s.operation(), s.intervals(), Math::max);
        }
        List<String> lines = new ArrayList<>();
        medians.forEach((op, text) -> lines.add(String.format(Locale.ROOT, "%s:%s ms (median of %d intervals; largest:%s)",
                op, text, counts.get(op), maxima.get(op))));
        return lines;
    }

    /** p50 < p95 < p99 < p99_9: by the number the label stands for. */
    static int byQuantile(String a, String b) {
        return Double.compare(quantile(a), quantile(b));
    }

    static double quantile(String label) {
        try {
            return Double.parseDouble(label.substring(1).replace('_', '.'));
        } catch (RuntimeException e) {
            return Double.MAX_VALUE;
        }
    }
}
