package io.monasca.agent.benchmarks;

/** The timed call: small enough that the timing overhead dominates, like a persister's cheapest upsert step. */
public interface Work {
    int process(int value);
}
