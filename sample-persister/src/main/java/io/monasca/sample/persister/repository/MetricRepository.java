package io.monasca.sample.persister.repository;

import java.util.List;

/** Where batches of points are stored. Implementations are shared by all consumer threads. */
public interface MetricRepository extends AutoCloseable {

    /**
     * Stores the whole batch or throws; a batch that failed may be written again (at-least-once).
     *
     * @return the number of points written
     */
    int write(List<Point> batch) throws RepositoryException;

    /** Throws when the store does not answer; for the health check, so it must be quick and write nothing. */
    default void check() throws RepositoryException {
    }

    /** A short description for the log, such as the database URL or file name. */
    String describe();

    @Override
    default void close() {
    }
}
