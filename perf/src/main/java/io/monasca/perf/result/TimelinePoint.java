package io.monasca.perf.result;

/** One poll of the admin source during a round: seconds since the persister was started, and its counts. */
public record TimelinePoint(double seconds, long received, long persisted) {
}
