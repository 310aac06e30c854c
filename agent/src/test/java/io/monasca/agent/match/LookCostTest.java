package io.monasca.agent.match;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LookCostTest {
    @Test
    void millisHaveOneDecimalRoundedHalfUp() {
        assertEquals("0.0", LookCost.millis(0));
        assertEquals("0.0", LookCost.millis(-5));
        assertEquals("0.1", LookCost.millis(50_000));
        assertEquals("44.8", LookCost.millis(44_800_000));
        assertEquals("10.3", LookCost.millis(10_249_999 + 1));
        assertEquals("1234.5", LookCost.millis(1_234_549_999));
    }

    @Test
    void describesWhatWasLookedAtAndWoven() {
        LookCost cost = new LookCost();
        cost.looked(1_000_000);
        cost.looked(2_000_000);
        cost.weaving(500_000);
        cost.changed();
        cost.weaving(200_000); // woven, but nothing came of it (or the JVM refused it): time, not a class
        assertEquals("2 classes looked at in 3.0 ms, of which 1 woven in 0.7 ms", cost.describe());
    }
}
