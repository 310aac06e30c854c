package io.monasca.perf.report;

import io.monasca.perf.run.RoundResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Off versus on. {@code overheadPct} compares the mean throughputs: 100 x (off - on) / off, positive when the
 * agent slows the persister. Its spread is over pairs of neighbouring rounds (rounds 1 and 2, 3 and 4, ..., one off
 * and one on whichever comes first), each pair giving its own overhead. The rounds run in ABBA order (off, on, on,
 * off, off, on, ...), so a linear drift of a noisy machine cancels in the means. The stddev and the 95 % t-interval
 * of the mean per-pair overhead need two pairs: with one they are NaN (unknown, written as null).
 */
public record Summary(double throughputOff, double throughputOn, double overheadPct,
                      double overheadPctMin, double overheadPctMax, double overheadPctStddev,
                      List<Double> overheadPctPairs, double overheadPctPairMean, double ci95Low, double ci95High) {

    /** Student's t, two-sided 95 % (the 0.975 quantile), for 1..30 degrees of freedom. */
    private static final double[] T_975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
            2.056, 2.052, 2.048, 2.045, 2.042};

    public static Summary of(List<RoundResult> rounds) {
        double off = mean(rounds, "off");
        double on = mean(rounds, "on");
        List<Double> pairs = new ArrayList<>();
        for (int i = 0; i + 1 < rounds.size(); i += 2) {
            RoundResult a = rounds.get(i);
            RoundResult b = rounds.get(i + 1);
            RoundResult offRound = a.mode.equals("off") ? a : b;
            RoundResult onRound = a.mode.equals("off") ? b : a;
            if (offRound.mode.equals(onRound.mode) || offRound.throughput <= 0) continue;
            pairs.add(overhead(offRound.throughput, onRound.throughput));
        }
        double min = pairs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = pairs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        double pairMean = pairs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double sd = stddev(pairs);
        double halfWidth = pairs.size() < 2 ? Double.NaN : t975(pairs.size() - 1) * sd / Math.sqrt(pairs.size());
        return new Summary(off, on, off > 0 ? overhead(off, on) : Double.NaN, min, max, sd, pairs,
                pairMean, pairMean - halfWidth, pairMean + halfWidth);
    }

    /**
     * What the run shows about the overhead, in one sentence backed by the 95 % t-interval of the mean per-pair
     * overhead: "within noise" only when that interval includes 0.
     */
    public String verdict() {
        int n = overheadPctPairs.size();
        if (n == 0) return "No pair of an off and an on round: nothing to compare.";
        if (n == 1) {
            return "One off/on pair only: the run-to-run spread is unknown, so this run cannot tell the overhead from "
                    + "noise (give --rounds 4 or more).";
        }
        String interval = String.format(Locale.ROOT, "The 95 %% t-interval of the mean per-pair overhead over %d pairs, "
                + "%.2f .. %.2f %%,", n, ci95Low, ci95High);
        if (ci95Low <= 0 && ci95High >= 0) {
            return interval + " includes 0: the difference between off and on is within this run's noise.";
        }
        if (ci95Low > 0) return interval + " excludes 0: with the agent the persister was slower in this run.";
        return interval + " excludes 0, the 'on' rounds being faster: the agent only adds work, so this is a "
                + "difference between the rounds (order, warm-up, machine), not a gain from the agent.";
    }

    static double overhead(double off, double on) {
        return 100.0 * (off - on) / off;
    }

    /** The 0.975 quantile of Student's t: the table, then a Cornish-Fisher expansion (within 0.0001 from 30 on). */
    static double t975(int degreesOfFreedom) {
        if (degreesOfFreedom <= T_975.length) return T_975[degreesOfFreedom - 1];
        double z = 1.959964;
        double v = degreesOfFreedom;
        return z + (z * z * z + z) / (4 * v) + (5 * Math.pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * v * v);
    }

    private static double mean(List<RoundResult> rounds, String mode) {
        return rounds.stream().filter(r -> r.mode.equals(mode) && r.throughput > 0)
                .mapToDouble(r -> r.throughput).average().orElse(Double.NaN);
    }

    private static double stddev(List<Double> values) {
        if (values.size() < 2) return Double.NaN; // one pair has no spread to speak of: unknown, not 0
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        return Math.sqrt(squares / (values.size() - 1));
    }
}
