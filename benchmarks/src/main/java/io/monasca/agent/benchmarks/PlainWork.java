package io.monasca.agent.benchmarks;

/** Woven by the agent's advice in {@link PerCallCost}, and called plain for the baseline. */
public class PlainWork implements Work {
    @Override
    public int process(int value) {
        return (value * 31) ^ (value >>> 3);
    }
}
