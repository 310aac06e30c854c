package io.monasca.agent.recording;

/** Builds cell readings for tests of the export side. */
public final class Readings {
    private Readings() {
    }

    public static CellReading of(int operation, String thread, long received, long completed, long failed, long items,
                                 long totalNanos, long minNanos, long maxNanos) {
        return new CellReading(operation, thread, received, completed, failed, items, totalNanos, minNanos, maxNanos,
                false);
    }

    /** The last reading of a cell whose thread has ended. */
    public static CellReading last(int operation, String thread) {
        return new CellReading(operation, thread, 0, 0, 0, 0, 0, 0, 0, true);
    }

    public static CellReading quiet(int operation, String thread) {
        return new CellReading(operation, thread, 0, 0, 0, 0, 0, 0, 0, false);
    }
}
