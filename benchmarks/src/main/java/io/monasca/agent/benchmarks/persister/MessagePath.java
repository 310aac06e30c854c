package io.monasca.agent.benchmarks.persister;

/** One consumer thread's work for one Kafka message; the plain and the woven persister are both called through it. */
public interface MessagePath {
    /** Handles one message; returns the metrics it added to the batch. */
    int onMessage(String message) throws Exception;
}
