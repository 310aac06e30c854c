package io.monasca.perf.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The mean of paired on-minus-off differences and its 95 % Student-t interval (n - 1 degrees of freedom). The
 * windows (or rounds) run in ABBA order, so each pair is one off and one on measurement taken next to each other:
 * a drift of the machine that is slow compared with a pair adds nearly the same to both and drops out of the
 * difference, and what remains varies from pair to pair, which the interval accounts for. With one pair the spread is
 * unknown: the standard deviation and the interval are NaN (written as null), never 0.
 *
 * @param differences one difference per pair, in pair order
 * @param mean        their mean
 * @param stddev      their sample standard deviation (n - 1)
 * @param ci95Low     mean - t(0.975, n - 1) x stddev / sqrt(n)
 * @param ci95High    mean + the same
 */
public record PairedDifferences(List<Double> differences, double mean, double stddev, double ci95Low, double ci95High) {

    /** Student's t, two-sided 95 % (the 0.975 quantile), for 1..30 degrees of freedom. */
    private static final double[] T_975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
            2.056, 2.052, 2.048, 2.045, 2.042};

    /** Non-finite differences (a pair with a zero "off" value) are left out. */
    public static PairedDifferences of(List<Double> differences) {
        List<Double> d = differences.stream().filter(Double::isFinite).toList();
        double mean = d.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double sd = stddev(d);
        double half = d.size() < 2 ? Double.NaN : t975(d.size() - 1) * sd / Math.sqrt(d.size());
        return new PairedDifferences(d, mean, sd, mean - half, mean + half);
    }

    /** One pair: its "off" item and its "on" item. */
    public record OffOn<T>(T off, T on) {
    }

    /**
     * The pairs of neighbours 1-2, 3-4, ... of {@code items} (rounds or windows in ABBA order), each as its "off" and
     * its "on" item; a pair of two of the same mode, or a last item without a partner (a run that stopped), is left out.
     */
    public static <T> List<OffOn<T>> offOn(List<T> items, java.util.function.Predicate<T> on) {
        List<OffOn<T>> pairs = new ArrayList<>();
        for (int i = 0; i + 1 < items.size(); i += 2) {
            T a = items.get(i);
            T b = items.get(i + 1);
            if (on.test(a) == on.test(b)) continue;
            pairs.add(on.test(a) ? new OffOn<>(b, a) : new OffOn<>(a, b));
        }
        return pairs;
    }

    /** {off, on} of a measure for each pair of {@link #offOn}. */
    public static <T> List<double[]> pairs(List<T> items, java.util.function.Predicate<T> on,
                                           java.util.function.ToDoubleFunction<T> value) {
        List<double[]> pairs = new ArrayList<>();
        for (OffOn<T> p : offOn(items, on)) {
            pairs.add(new double[]{value.applyAsDouble(p.off()), value.applyAsDouble(p.on())});
        }
        return pairs;
    }

    /** 100 x (on - off) / off per pair: positive when "on" costs more. {@code pairs} holds {off, on} arrays. */
    public static PairedDifferences percent(List<double[]> pairs) {
        List<Double> d = new ArrayList<>();
        for (double[] pair : pairs) d.add(pair[0] > 0 ? 100.0 * (pair[1] - pair[0]) / pair[0] : Double.NaN);
        return of(d);
    }

    /** 100 x (off - on) / off per pair: positive when "on" is lower (a throughput: slower with the agent). */
    public static PairedDifferences percentLower(List<double[]> pairs) {
        List<Double> d = new ArrayList<>();
        for (double[] pair : pairs) d.add(pair[0] > 0 ? 100.0 * (pair[0] - pair[1]) / pair[0] : Double.NaN);
        return of(d);
    }

    /** on - off per pair. */
    public static PairedDifferences absolute(List<double[]> pairs) {
        List<Double> d = new ArrayList<>();
        for (double[] pair : pairs) d.add(pair[1] - pair[0]);
        return of(d);
    }

    public int pairs() {
        return differences.size();
    }

    /** Half the width of the 95 % interval; NaN with fewer than two pairs. */
    public double halfWidth() {
        return (ci95High - ci95Low) / 2;
    }

    public double min() {
        return differences.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    public double max() {
        return differences.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /**
     * The plain-words verdict on a cost in percent ({@code what}, e.g. "CPU per message"), from the interval: the
     * agent costs X % +- Y % when the interval lies above 0; no difference distinguishable from zero at +- Y % when it
     * includes 0; a difference between the windows, not a gain, when it lies below 0 (the agent only adds work).
     */
    public String verdict(String what, String units) {
        int n = pairs();
        if (n == 0) return "No off/on pair of " + units + ": nothing to compare.";
        if (n == 1) {
            return "One off/on pair only: the run-to-run spread is unknown, so this run cannot tell the overhead from "
                    + "noise (give more " + units + ").";
        }
        String interval = String.format(Locale.ROOT, "(95 %% t-interval %.2f .. %.2f %% over %d pairs of %s)",
                ci95Low, ci95High, n, units);
        if (ci95Low <= 0 && ci95High >= 0) {
            return String.format(Locale.ROOT, "No difference in %s distinguishable from zero at +-%.2f %% %s: "
                    + "the mean difference, %.2f %%, is within this run's noise.", what, halfWidth(), interval, mean);
        }
        if (ci95Low > 0) {
            return String.format(Locale.ROOT, "The agent costs %.2f %% +- %.2f %% %s %s.", mean, halfWidth(), what, interval);
        }
        return String.format(Locale.ROOT, "The 'on' %s used %.2f %% +- %.2f %% less %s %s: the agent only adds work, so "
                + "this is a difference between the %s (order, warm-up, machine), not a gain from the agent.",
                units, -mean, halfWidth(), what, interval, units);
    }

    /**
     * The verdict on a throughput, from differences of {@link #percentLower} (positive when "on" is slower), in the
     * words of the change with the agent on: lower throughput (the agent's cost), no difference distinguishable from
     * zero, or higher throughput, which the agent cannot cause (it only adds work), so a difference between the
     * {@code units}, not a gain. The same caveats as {@link #verdict}.
     */
    public String throughputVerdict(String units) {
        int n = pairs();
        if (n == 0) return "No off/on pair of " + units + ": no throughput to compare.";
        if (n == 1) {
            return "Throughput: one off/on pair only: the spread is unknown, so this run cannot tell a difference from "
                    + "noise (give more " + units + ").";
        }
        // on vs off = -(off - on) / off: the interval's ends swap
        String interval = String.format(Locale.ROOT, "(95 %% t-interval of on vs off %.2f .. %.2f %% over %d pairs of %s)",
                -ci95High, -ci95Low, n, units);
        if (ci95Low <= 0 && ci95High >= 0) {
            return String.format(Locale.ROOT, "No difference in throughput distinguishable from zero at +-%.2f %% %s: "
                    + "the mean, %.2f %% %s with the agent on, is within this run's noise.", halfWidth(), interval,
                    Math.abs(mean), mean > 0 ? "lower" : "higher");
        }
        if (ci95Low > 0) {
            return String.format(Locale.ROOT, "With the agent on, throughput was %.2f %% +- %.2f %% lower %s.", mean,
                    halfWidth(), interval);
        }
        return String.format(Locale.ROOT, "With the agent on, throughput was %.2f %% +- %.2f %% higher %s: the agent only "
                + "adds work, so this is a difference between the %s (order, warm-up, machine), not a gain from the agent.",
                -mean, halfWidth(), interval, units);
    }

    /**
     * Null when the means of the off and the on values point the same way as the mean of the pairs' differences;
     * else a sentence that says why they differ. {@code differences} are of {@link #percent} ({@code lowerIsCost}
     * false) or {@link #percentLower} (true).
     */
    public String meansDisagreement(String what, String unit, double off, double on, boolean lowerIsCost) {
        if (pairs() == 0 || !Double.isFinite(off) || !Double.isFinite(on) || off <= 0 || !Double.isFinite(mean)) return null;
        double ofMeans = 100.0 * (on - off) / off;
        double ofPairs = lowerIsCost ? -mean : mean;
        if (Math.signum(ofMeans) == Math.signum(ofPairs) || ofMeans == 0 || ofPairs == 0) return null;
        return String.format(Locale.ROOT, "The means of %s (%s off, %s on: %+.2f %%) and the mean of the pairs' "
                        + "differences (%+.2f %%, what the verdict uses) point different ways: each pair's difference "
                        + "is relative to its own off value, and pairs differ (the machine's load moves both windows of "
                        + "a pair), so a few pairs with large relative differences outweigh many small ones in the "
                        + "mean of the pairs, while the means of the values weigh every window alike. The verdict "
                        + "rests on the pairs, whose two windows ran next to each other.", what, fmtUnit(off, unit),
                fmtUnit(on, unit), ofMeans, ofPairs);
    }

    private static String fmtUnit(double value, String unit) {
        return String.format(Locale.ROOT, value >= 100 ? "%,.0f %s" : "%.3f %s", value, unit);
    }

    /** The 0.975 quantile of Student's t: the table, then a Cornish-Fisher expansion (within 0.0001 from 30 on). */
    public static double t975(int degreesOfFreedom) {
        if (degreesOfFreedom < 1) return Double.NaN;
        if (degreesOfFreedom <= T_975.length) return T_975[degreesOfFreedom - 1];
        double z = 1.959964;
        double v = degreesOfFreedom;
        return z + (z * z * z + z) / (4 * v) + (5 * Math.pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * v * v);
    }

    static double stddev(List<Double> values) {
        if (values.size() < 2) return Double.NaN; // one value has no spread to speak of: unknown, not 0
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        return Math.sqrt(squares / (values.size() - 1));
    }
}
