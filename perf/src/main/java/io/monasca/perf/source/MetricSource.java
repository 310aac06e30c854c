package io.monasca.perf.source;

/** One way of reading a persister's received and persisted counts. */
public interface MetricSource extends AutoCloseable {
    /** {@code admin}, {@code statsd} or {@code monasca}. */
    String name();

    /** Counts since this source started (or was last {@link #reset}). */
    Reading read() throws SourceException;

    /** Starts counting again from zero (a new round). */
    default void reset() throws SourceException {
    }

    @Override
    default void close() {
    }
}
