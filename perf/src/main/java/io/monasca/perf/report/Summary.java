package io.monasca.perf.report;

import io.monasca.perf.run.RoundResult;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Off versus on in restart mode, over pairs of neighbouring rounds (rounds 1 and 2, 3 and 4, ..., one off and one on
 * whichever comes first; ABBA order, so a linear drift of a noisy machine cancels in the means):
 * <ul>
 *   <li>{@code cpu}: CPU time per message of the persister's application threads (the JIT compilers and the
 *   garbage collector left out), 100 x (on - off) / off per pair: the headline {@code overhead_pct};</li>
 *   <li>{@code throughput}: 100 x (off - on) / off per pair, positive when the agent slows the persister;</li>
 *   <li>{@code startup}: seconds from starting the JVM to the first message received, on - off per pair: what only a
 *   restart can measure.</li>
 * </ul>
 * The spreads and 95 % t-intervals need two pairs: with one they are NaN (unknown, written as null).
 */
public record Summary(double throughputOff, double throughputOn, PairedDifferences throughput,
                      double cpuOff, double cpuOn, PairedDifferences cpu,
                      double startupOff, double startupOn, PairedDifferences startup) {

    public static Summary of(List<RoundResult> rounds) {
        return new Summary(mean(rounds, "off", r -> r.throughput), mean(rounds, "on", r -> r.throughput),
                PairedDifferences.percentLower(pairs(rounds, r -> r.throughput)),
                mean(rounds, "off", RoundResult::cpuMicrosPerMessage), mean(rounds, "on", RoundResult::cpuMicrosPerMessage),
                PairedDifferences.percent(pairs(rounds, RoundResult::cpuMicrosPerMessage)),
                mean(rounds, "off", r -> r.firstReceivedSeconds), mean(rounds, "on", r -> r.firstReceivedSeconds),
                PairedDifferences.absolute(pairs(rounds, r -> r.firstReceivedSeconds)));
    }

    /** The headline: CPU per message, on versus off, in percent. */
    public double overheadPct() {
        return cpu.mean();
    }

    /** What the run shows about the CPU per message, in one sentence backed by its 95 % t-interval. */
    public String verdict() {
        return cpu.verdict("CPU per message", "rounds");
    }

    /** What the run shows about the throughput, with the same caveats as the CPU verdict. */
    public String throughputVerdict() {
        return throughput.throughputVerdict("rounds");
    }

    /** Why the means and the pairs' mean point different ways, when they do. */
    public List<String> notes() {
        List<String> notes = new java.util.ArrayList<>();
        String cpuNote = cpu.meansDisagreement("the CPU per message", "us", cpuOff, cpuOn, false);
        if (cpuNote != null) notes.add(cpuNote);
        String throughputNote = throughput.meansDisagreement("the throughput", "metrics/s", throughputOff, throughputOn, true);
        if (throughputNote != null) notes.add(throughputNote);
        return notes;
    }

    /** What the run shows about the start-up: seconds the agent adds from starting the JVM to the first message. */
    public String startupVerdict() {
        int n = startup.pairs();
        if (n < 2) {
            return String.format(Locale.ROOT, "Start-up (JVM start to first message received): %s s off, %s s on; "
                    + "one pair only, so the spread is unknown.", ReportWriter.fmt("%.2f", startupOff), ReportWriter.fmt("%.2f", startupOn));
        }
        String interval = String.format(Locale.ROOT, "(95 %% t-interval %.2f .. %.2f s over %d pairs of rounds)",
                startup.ci95Low(), startup.ci95High(), n);
        if (startup.ci95Low() <= 0 && startup.ci95High() >= 0) {
            return String.format(Locale.ROOT, "Start-up (JVM start to first message received): no difference "
                    + "distinguishable from zero at +-%.2f s %s.", startup.halfWidth(), interval);
        }
        return String.format(Locale.ROOT, "Start-up (JVM start to first message received): the agent %s %.2f s +- %.2f s %s.",
                startup.mean() > 0 ? "adds" : "saves (a difference between the rounds, not a gain:)",
                Math.abs(startup.mean()), startup.halfWidth(), interval);
    }

    private static List<double[]> pairs(List<RoundResult> rounds, ToDoubleFunction<RoundResult> value) {
        return PairedDifferences.pairs(rounds, r -> r.mode.equals("on"), value);
    }

    private static double mean(List<RoundResult> rounds, String mode, ToDoubleFunction<RoundResult> value) {
        return rounds.stream().filter(r -> r.mode.equals(mode)).mapToDouble(value)
                .filter(v -> Double.isFinite(v) && v > 0).average().orElse(Double.NaN);
    }
}
