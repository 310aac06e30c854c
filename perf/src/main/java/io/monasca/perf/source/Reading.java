package io.monasca.perf.source;

/**
 * What a metric source says at one moment: metrics received (Kafka messages taken in, one metric each in the
 * JMeter plan) and metrics persisted (points written to the database), both counted since the source's start.
 */
public record Reading(long received, long persisted) {
    public static final Reading ZERO = new Reading(0, 0);

    public Reading minus(Reading baseline) {
        return new Reading(received - baseline.received, persisted - baseline.persisted);
    }
}
