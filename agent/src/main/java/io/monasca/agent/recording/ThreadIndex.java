package io.monasca.agent.recording;

/**
 * One operation's cells by their thread's identity hash: a table of {@link #SIZE} entries in which a thread finds its
 * own cell with one array read. The alternative, a {@link ThreadLocal}, is a chain of six dependent reads (thread, map,
 * table, entry, value, array) that the JIT can hoist out of a benchmark's loop but not out of an application's
 * calls. An entry holds one cell; a thread whose entry another thread's cell holds (their hashes are equal modulo
 * the size) keeps using its ThreadLocal, as every thread did before.
 *
 * <p>Writes are rare (a thread's first call of the operation; the exporter dropping the cell of a thread that ended)
 * and synchronized on the table. The hot path reads an entry without a lock and checks that the cell's referent is
 * its own thread: an entry not yet visible, or another thread's cell, only sends it to the slower path.
 */
final class ThreadIndex {
    /** Entries per operation: 4 KiB with compressed references, a few operations per agent. */
    static final int SIZE = 1024;

    private ThreadIndex() {
    }

    static Cell[] newTable() {
        return new Cell[SIZE];
    }

    /** The entry of a thread: never its {@code hashCode()}, which a subclass could override with code of its own. */
    static int entryOf(Thread thread) {
        return System.identityHashCode(thread) & (SIZE - 1);
    }

    /** Puts the cell in its thread's entry if that is free; a plain read first, so colliding threads never lock. */
    static void add(Cell[] table, Cell cell) {
        int entry = cell.threadEntry;
        if (table[entry] == null) {
            synchronized (table) {
                if (table[entry] == null) {
                    table[entry] = cell;
                }
            }
        }
    }

    /** Frees the cell's entry, if it holds that cell. */
    static void remove(Cell[] table, Cell cell) {
        synchronized (table) {
            if (table[cell.threadEntry] == cell) {
                table[cell.threadEntry] = null;
            }
        }
    }
}
