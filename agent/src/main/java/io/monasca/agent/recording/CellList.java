package io.monasca.agent.recording;

import java.util.Arrays;

/**
 * The cells of one operation: added once per thread (its first call of the operation), read and pruned by the
 * exporter once per interval. A plain synchronized array, not a concurrent collection: it is off the hot path, and
 * the JDK's lock-free collections link method handles at their first use, which a JVM that is starting pays for.
 */
final class CellList {
    private Cell[] cells = new Cell[8];
    private int size;

    synchronized void add(Cell cell) {
        if (size == cells.length) {
            cells = Arrays.copyOf(cells, size * 2);
        }
        cells[size++] = cell;
    }

    synchronized Cell[] snapshot() {
        return Arrays.copyOf(cells, size);
    }

    synchronized void remove(Cell cell) {
        for (int i = 0; i < size; i++) {
            if (cells[i] == cell) {
                cells[i] = cells[--size];
                cells[size] = null;
                return;
            }
        }
    }
}
