package io.monasca.perf.report;

import io.monasca.perf.run.RoundResult;

import java.util.ArrayList;
import java.util.List;

/**
 * Off versus on. {@code overheadPct} compares the mean throughputs: 100 x (off - on) / off, positive when the
 * agent slows the persister. Its spread is over pairs of neighbouring rounds (rounds 1 and 2, 3 and 4, ..., one off
 * and one on whichever comes first), each pair giving its own overhead. The rounds run in ABBA order (off, on, on,
 * off, off, on, ...), so a linear drift of a noisy machine cancels in the means. The stddev needs two pairs: with
 * one it is NaN (unknown, written as null).
 */
public record Summary(double throughputOff, double throughputOn, double overheadPct,
                      double overheadPctMin, double overheadPctMax, double overheadPctStddev,
                      List<Double> overheadPctPairs) {

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
        return new Summary(off, on, off > 0 ? overhead(off, on) : Double.NaN, min, max, stddev(pairs), pairs);
    }

    static double overhead(double off, double on) {
        return 100.0 * (off - on) / off;
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
