package io.monasca.agent.benchmarks;

/**
 * Woven by the agent's advice in {@link PerCallCost}, and called plain for the baseline. It returns a count, as an
 * upsert does: never negative. (Unmasked, {@code value * 31} turned negative after some 69 million calls, in a
 * measured iteration: the woven exit's out-of-range branch, never taken until then, deoptimized the benchmark's
 * compiled code there and measured interpreted and C1 code for a while.)
 */
public class PlainWork implements Work {
    @Override
    public int process(int value) {
        return ((value * 31) ^ (value >>> 3)) & Integer.MAX_VALUE;
    }
}
