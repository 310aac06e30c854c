package io.monasca.agent.benchmarks;

import org.openjdk.jmh.util.ListStatistics;

import java.util.Arrays;
import java.util.List;

/**
 * Small statistics for the benchmark summaries: median and a Student-t 95 % interval of a mean, JMH's 99.9 % error
 * of a mean, and a distribution-free 95 % interval of a median.
 */
public final class Stats {
    /** Two-sided 95 % Student-t quantiles for 1..30 degrees of freedom; 1.96 beyond. */
    private static final double[] T95 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
            2.056, 2.052, 2.048, 2.045, 2.042};

    private Stats() {
    }

    public static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    public static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** The sample standard deviation (NaN with fewer than two values). */
    public static double sd(List<Double> values) {
        int n = values.size();
        if (n < 2) {
            return Double.NaN;
        }
        double mean = mean(values);
        return Math.sqrt(values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (n - 1));
    }

    /** Half-width of the 95 % confidence interval of the mean (NaN with fewer than two values). */
    public static double ci95(List<Double> values) {
        int n = values.size();
        return n < 2 ? Double.NaN : t95(n - 1) * sd(values) / Math.sqrt(n);
    }

    /** Half-width of the 99.9 % confidence interval of the mean, as JMH prints it beside a score. */
    public static double error999(List<Double> values) {
        return new ListStatistics(values.stream().mapToDouble(Double::doubleValue).toArray()).getMeanErrorAt(0.999);
    }

    /**
     * A 95 % confidence interval of the median, {@code {low, high}}, from order statistics (no assumption about the
     * distribution, so outliers do not widen it); the whole range with fewer than six values.
     */
    public static double[] medianCi95(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        int reach = (int) Math.ceil(1.96 * Math.sqrt(n) / 2);
        int low = Math.max(0, (int) Math.floor(n / 2.0) - reach);
        int high = Math.min(n - 1, (int) Math.ceil(n / 2.0) + reach - 1);
        return new double[] {sorted[low], sorted[high]};
    }

    static double t95(int degreesOfFreedom) {
        return degreesOfFreedom <= T95.length ? T95[degreesOfFreedom - 1] : 1.96;
    }

    public static String describe(List<Double> values, String format) {
        return String.format(java.util.Locale.ROOT, "median " + format + ", mean " + format + " +- " + format
                + " (95 %%, n=%d), all %s", median(values), mean(values), ci95(values), values.size(),
                Arrays.toString(values.stream().mapToLong(Math::round).toArray()));
    }
}
