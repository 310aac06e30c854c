package io.monasca.perf.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The statistics on known inputs: every expected number is scipy's (stats.t.interval(0.95, n - 1, mean, sem)). */
class PairedDifferencesTest {
    @Test
    void aFixedSeriesHasItsKnownMeanSpreadAndInterval() {
        PairedDifferences d = PairedDifferences.of(List.of(1.0, 2.0, 3.0, 4.0, 5.0));
        assertEquals(5, d.pairs());
        assertEquals(3.0, d.mean(), 1e-12);
        assertEquals(1.5811388300841898, d.stddev(), 1e-12);
        assertEquals(1.0367568385224428, d.ci95Low(), 1e-3);
        assertEquals(4.963243161477557, d.ci95High(), 1e-3);
        assertEquals(1.0, d.min());
        assertEquals(5.0, d.max());

        PairedDifferences small = PairedDifferences.of(List.of(0.5, -0.3, 1.2, 0.1, 0.8, -0.4, 0.9, 0.2));
        assertEquals(0.375, small.mean(), 1e-12);
        assertEquals(-0.10577693401217042, small.ci95Low(), 1e-3);
        assertEquals(0.8557769340121704, small.ci95High(), 1e-3);
        assertEquals((0.8557769340121704 + 0.10577693401217042) / 2, small.halfWidth(), 1e-3);
    }

    @Test
    void pairsAreOnMinusOffInPercentOfOffOrInUnitsAndLowerForThroughput() {
        List<double[]> pairs = List.of(new double[]{10, 11}, new double[]{8, 8}, new double[]{5, 4});
        assertEquals(List.of(10.0, 0.0, -20.0), PairedDifferences.percent(pairs).differences());
        assertEquals(List.of(-10.0, 0.0, 20.0), PairedDifferences.percentLower(pairs).differences());
        assertEquals(List.of(1.0, 0.0, -1.0), PairedDifferences.absolute(pairs).differences());
        assertEquals(List.of(10.0), PairedDifferences.percent(List.of(new double[]{0, 1}, new double[]{10, 11})).differences(),
                "a zero 'off' value has no percentage and is left out");
    }

    @Test
    void neighboursArePairedOneOffOneOnWhicheverComesFirst() {
        record M(boolean on, double v) {
        }
        List<M> abba = List.of(new M(false, 1), new M(true, 2), new M(true, 3), new M(false, 4), new M(false, 5));
        List<double[]> pairs = PairedDifferences.pairs(abba, M::on, M::v);
        assertEquals(2, pairs.size(), "the fifth has no partner");
        assertEquals(List.of(1.0, 2.0), List.of(pairs.get(0)[0], pairs.get(0)[1]));
        assertEquals(List.of(4.0, 3.0), List.of(pairs.get(1)[0], pairs.get(1)[1]), "{off, on} whatever the order");
        assertTrue(PairedDifferences.pairs(List.of(new M(true, 1), new M(true, 2)), M::on, M::v).isEmpty(), "two 'on' are no pair");
    }

    @Test
    void studentsTQuantileMatchesTheTableAndBeyond() {
        assertEquals(12.706, PairedDifferences.t975(1), 0.0005);
        assertEquals(2.228, PairedDifferences.t975(10), 0.0005);
        assertEquals(2.042, PairedDifferences.t975(30), 0.0005);
        assertEquals(2.0395, PairedDifferences.t975(31), 0.0005);
        assertEquals(2.0211, PairedDifferences.t975(40), 0.0005);
        assertEquals(1.9840, PairedDifferences.t975(100), 0.0005);
        assertEquals(1.9623, PairedDifferences.t975(1000), 0.0005);
    }

    @Test
    void theVerdictSaysCostNoiseOrADifferenceBetweenWindowsFromTheInterval() {
        PairedDifferences costs = PairedDifferences.of(List.of(1.0, 2.0, 3.0, 4.0, 5.0));
        assertEquals("The agent costs 3.00 % +- 1.96 % CPU per message (95 % t-interval 1.04 .. 4.96 % over 5 pairs of windows).",
                costs.verdict("CPU per message", "windows"));

        PairedDifferences noise = PairedDifferences.of(List.of(10.0, 0.0));
        assertEquals("No difference in CPU per message distinguishable from zero at +-63.53 % (95 % t-interval -58.53 .. 68.53 % "
                + "over 2 pairs of windows): the mean difference, 5.00 %, is within this run's noise.", noise.verdict("CPU per message", "windows"));

        PairedDifferences lower = PairedDifferences.of(List.of(-1.5, -2.5, -2.0, -1.0));
        assertEquals(-2.777, lower.ci95Low(), 1e-3);
        assertEquals(-0.723, lower.ci95High(), 1e-3);
        assertTrue(lower.verdict("CPU per message", "rounds").startsWith("The 'on' rounds used 1.75 % +- 1.03 % less CPU per "
                + "message (95 % t-interval -2.78 .. -0.72 % over 4 pairs of rounds): the agent only adds work"), lower.verdict("CPU per message", "rounds"));
    }

    @Test
    void withOnePairOrNoneTheSpreadIsUnknownNotZero() {
        PairedDifferences one = PairedDifferences.of(List.of(4.0));
        assertTrue(Double.isNaN(one.stddev()) && Double.isNaN(one.ci95Low()) && Double.isNaN(one.halfWidth()));
        assertTrue(one.verdict("CPU per message", "windows").startsWith("One off/on pair only: the run-to-run spread is unknown"));
        PairedDifferences none = PairedDifferences.of(List.of());
        assertTrue(Double.isNaN(none.mean()));
        assertEquals("No off/on pair of windows: nothing to compare.", none.verdict("CPU per message", "windows"));
    }

    @Test
    void theThroughputVerdictHasTheCpuVerdictsCaveatsAndNoDoubleNegative() {
        // issue 20: "slower by -8.58 % (95 % CI -17.15 .. -0.02)" without a word: the agent cannot make it faster
        PairedDifferences faster = PairedDifferences.of(List.of(-2.0, -10.0, -14.0, -8.32));
        String verdict = faster.throughputVerdict("windows");
        assertTrue(verdict.startsWith("With the agent on, throughput was 8.58 % +- "), verdict);
        assertTrue(verdict.contains("higher (95 % t-interval of on vs off ") && verdict.contains("not a gain from the agent"), verdict);
        assertTrue(!verdict.contains("-8.58") && !verdict.contains("slower by -"), verdict);
        PairedDifferences slower = PairedDifferences.of(List.of(2.0, 4.0, 3.0, 3.0));
        assertTrue(slower.throughputVerdict("rounds").startsWith("With the agent on, throughput was 3.00 % +- 1.30 % lower "
                + "(95 % t-interval of on vs off -4.30 .. -1.70 % over 4 pairs of rounds)"), slower.throughputVerdict("rounds"));
        PairedDifferences noise = PairedDifferences.of(List.of(2.0, -4.0, 3.0, -3.0));
        assertTrue(noise.throughputVerdict("windows").startsWith("No difference in throughput distinguishable from zero at +-"),
                noise.throughputVerdict("windows"));
        assertTrue(noise.throughputVerdict("windows").contains("the mean, 0.50 % higher with the agent on, is within"),
                noise.throughputVerdict("windows"));
    }

    @Test
    void meansThatPointAgainstThePairsAreExplained() {
        // one pair at a low CPU per message with a large relative difference, one high with a small opposite one:
        // the means of the values say on < off, the mean of the pairs' percentages +5 %
        List<double[]> pairs = List.of(new double[]{1.0, 1.12}, new double[]{16.0, 15.7});
        PairedDifferences d = PairedDifferences.percent(pairs);
        assertTrue(d.mean() > 0);
        String note = d.meansDisagreement("the CPU per message", "us", 8.5, 8.41, false);
        assertTrue(note != null && note.contains("(8.500 us off, 8.410 us on: -1.06 %)") && note.contains("(+5.06 %, what the verdict uses)"), note);
        assertEquals(null, d.meansDisagreement("the CPU per message", "us", 8.5, 8.6, false), "the same way: nothing to explain");
    }
}
