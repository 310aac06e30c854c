package io.monasca.perf.toggle;

import io.monasca.perf.report.PairedDifferences;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backlog phase's stopping rule on synthetic series of windows: known mean and spread, a simulated clock. */
class StoppingRuleTest {

    /** What a simulated phase ended with: why, the pairs' differences, and when its last window ended. */
    private record Outcome(String stoppedBy, PairedDifferences differences, double endSeconds, double longestWindow) {
    }

    /**
     * Runs windows as the runner does: before each, asks the rule with the seconds spent so far and the next pair's
     * expected length (twice the mean of the last four windows); window n's length is {@code length(n)}, pair k's
     * difference in percent {@code difference(k)}.
     */
    private static Outcome simulate(StoppingRule rule, IntToDoubleFunction difference, IntToDoubleFunction length,
                                    double startSeconds) {
        List<Double> differences = new ArrayList<>();
        List<Double> lengths = new ArrayList<>();
        double now = startSeconds;
        for (int number = 1; number < 10_000; number++) {
            PairedDifferences sofar = PairedDifferences.of(differences);
            double recent = lengths.isEmpty() ? 3 : lengths.subList(Math.max(0, lengths.size() - 4), lengths.size())
                    .stream().mapToDouble(Double::doubleValue).average().orElse(3);
            String stop = rule.before(number, sofar, now, 2 * recent, 0);
            if (stop != null) {
                return new Outcome(stop, sofar, now, lengths.stream().mapToDouble(Double::doubleValue).max().orElse(0));
            }
            double seconds = length.applyAsDouble(number);
            lengths.add(seconds);
            now += seconds;
            if (number % 2 == 0) differences.add(difference.applyAsDouble(number / 2));
        }
        throw new AssertionError("never stopped");
    }

    /** Pair differences mean +- spread, alternating: after an even number n of pairs, sd = spread x sqrt(n / (n - 1)). */
    private static IntToDoubleFunction alternating(double mean, double spread) {
        return pair -> pair % 2 == 1 ? mean + spread : mean - spread;
    }

    @Test
    void stopsAtTheFirstWholeQuadrupleWhoseHalfWidthReachesThePrecision() {
        // half-width after n pairs = t(0.975, n - 1) x spread / sqrt(n - 1):
        // spread 1.6: 12 pairs 1.062, 14 pairs 0.959; spread 1.7: 14 pairs 1.018, 16 pairs 0.935
        Outcome a = simulate(StoppingRule.adaptive(1.0, 1e9), alternating(1.5, 1.6), n -> 2.0, 0);
        assertEquals(StoppingRule.PRECISION, a.stoppedBy());
        assertEquals(14, a.differences().pairs());
        assertEquals(1.5, a.differences().mean(), 1e-12);
        assertEquals(0.959, a.differences().halfWidth(), 0.001);
        Outcome b = simulate(StoppingRule.adaptive(1.0, 1e9), alternating(1.5, 1.7), n -> 2.0, 0);
        assertEquals(16, b.differences().pairs());
        assertEquals(0.935, b.differences().halfWidth(), 0.001);
    }

    @Test
    void neverStopsOnFewerThanEightPairsHoweverNarrow() {
        Outcome o = simulate(StoppingRule.adaptive(1.0, 1e9), alternating(2.0, 0.01), n -> 2.0, 0);
        assertEquals(StoppingRule.PRECISION, o.stoppedBy());
        assertEquals(StoppingRule.MIN_PAIRS, o.differences().pairs());
    }

    @Test
    void onRandomSeriesItStopsOnlyWhenTheIntervalIsNarrowEnoughAndAtTheFirstQuadrupleThatIs() {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            double[] series = random.doubles(10_000).map(u -> 0).toArray();
            for (int i = 0; i < series.length; i++) series[i] = 1.5 + 3.0 * random.nextGaussian();
            Outcome o = simulate(StoppingRule.adaptive(1.0, 1e9), pair -> series[pair], n -> 2.0, 0);
            assertEquals(StoppingRule.PRECISION, o.stoppedBy());
            assertTrue(o.differences().halfWidth() <= 1.0, "seed " + seed + ": " + o.differences().halfWidth());
            int n = o.differences().pairs();
            assertEquals(0, n % 2, "whole quadruples");
            if (n > StoppingRule.MIN_PAIRS) {
                List<Double> before = o.differences().differences().subList(0, n - 2);
                assertTrue(PairedDifferences.of(before).halfWidth() > 1.0, "seed " + seed + ": it should have stopped at " + (n - 2));
            }
        }
    }

    @Test
    void maxTimeIsHonouredWithinOneWindowAndNoPrecisionIsClaimedThatWasNotReached() {
        Random random = new Random(7);
        double[] lengths = random.doubles(10_000, 1.5, 3.5).toArray();
        double budget = 120;
        for (double start : new double[]{0, 40, 100, 118}) {
            Outcome o = simulate(StoppingRule.adaptive(1.0, budget), alternating(1.5, 20), n -> lengths[n], start);
            assertEquals(StoppingRule.MAX_TIME, o.stoppedBy(), "start " + start);
            assertTrue(o.endSeconds() <= budget + o.longestWindow(), "ended at " + o.endSeconds() + " s, start " + start);
            assertTrue(o.endSeconds() + 2 * 3.5 > budget, "stopped early: at " + o.endSeconds() + " s, start " + start);
            assertTrue(!(o.differences().halfWidth() <= 1.0), "the precision was not reached");
            assertEquals(0, o.differences().pairs() * 2 % 2, "never half a pair");
        }
    }

    @Test
    void aFixedDesignRunsItsWindowsWhateverThePrecisionAndThePairsAreNeverCut() {
        Outcome o = simulate(StoppingRule.fixed(12), alternating(1.5, 0.01), n -> 2.0, 0);
        assertEquals(StoppingRule.WINDOWS, o.stoppedBy());
        assertEquals(6, o.differences().pairs());
        assertEquals(StoppingRule.WINDOWS, StoppingRule.fixed(0).before(1, PairedDifferences.of(List.of()), 0, 4, 0));
        StoppingRule adaptive = StoppingRule.adaptive(1.0, 10);
        assertNull(adaptive.before(2, PairedDifferences.of(List.of()), 1000, 4, 0), "the second window of a pair always runs");
        assertEquals(StoppingRule.MAX_TIME, adaptive.before(3, PairedDifferences.of(List.of(1.0)), 7, 4, 0));
        assertEquals(StoppingRule.MAX_TIME, adaptive.before(3, PairedDifferences.of(List.of(1.0)), 1, 4, 6), "the reserve counts");
        assertNull(adaptive.before(3, PairedDifferences.of(List.of(1.0)), 1, 4, 0));
    }
}
