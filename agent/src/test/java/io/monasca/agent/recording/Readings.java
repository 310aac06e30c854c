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

    /**
     * Records one ended call of {@code operation} on this thread that took exactly {@code nanos}, as the advice
     * would after measuring it: for tests with known durations.
     */
    public static void record(int operation, long nanos) {
        Cell cell = Recorder.enter(operation);
        cell.active = false;
        cell.recordEnd(nanos, true, 0);
    }

    /** The same call {@code times} times. */
    public static void record(int operation, long nanos, int times) {
        Cell cell = Recorder.enter(operation);
        cell.active = false;
        cell.recordEnd(nanos, true, 0);
        for (int i = 1; i < times; i++) {
            cell.countStart();
            cell.recordEnd(nanos, true, 0);
        }
    }

    public static CellReading quiet(int operation, String thread) {
        return new CellReading(operation, thread, 0, 0, 0, 0, 0, 0, 0, false);
    }
}
