package io.monasca.agent.recording;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class HistogramTest {
    /** What the exporter writes for a duration alone in its bucket's range: value to the picosecond. */
    private static double reported(long nanos) {
        return Math.round(Histogram.value(Histogram.index(nanos), 0, Long.MAX_VALUE) * 1000) / 1000.0;
    }

    private static void assertWithinBound(long nanos) {
        double r = reported(nanos);
        if (Math.abs(r - nanos) > Histogram.ERROR_BOUND * nanos) {
            fail(nanos + " ns is reported as " + r + " ns: more than 1 % off");
        }
    }

    @Test
    void everyDurationUpToTwoMillisecondsIsWithinTheBound() {
        for (long v = 0; v <= 2_000_000; v++) {
            assertWithinBound(v);
        }
    }

    @Test
    void durationsUpToTheLimitAreWithinTheBound() {
        SplittableRandom random = new SplittableRandom(19);
        for (int e = 0; e < 43; e++) {
            long octave = 1L << e;
            assertWithinBound(octave);
            assertWithinBound(octave - 1);
            assertWithinBound(2 * octave - 1);
            for (int i = 0; i < 20_000; i++) {
                assertWithinBound(octave + random.nextLong(octave));
            }
        }
        assertWithinBound(Histogram.LIMIT_NANOS - 1);
    }

    @Test
    void bucketsAreOrderedAndContiguous() {
        assertEquals(0, Histogram.index(0));
        assertEquals(0, Histogram.index(-5));
        assertEquals(1, Histogram.index(1));
        for (int b = 1; b < Histogram.OVERFLOW - 1; b++) {
            assertEquals(Histogram.upperBound(b), Histogram.lowerBound(b + 1), "bucket " + b);
            assertTrue(Histogram.lowerBound(b) < Histogram.upperBound(b));
        }
        assertEquals((double) Histogram.LIMIT_NANOS, Histogram.upperBound(Histogram.OVERFLOW - 1));
        long previous = 0;
        for (long v = 1; v < Histogram.LIMIT_NANOS; v += 1 + v / 97) {
            int b = Histogram.index(v);
            assertTrue(b >= previous, "index falls at " + v);
            assertTrue(Histogram.lowerBound(b) <= v && v < Histogram.upperBound(b), v + " outside bucket " + b);
            previous = b;
        }
    }

    @Test
    void beyondTheLimitTheExactMaximumIsReported() {
        long twoAndAHalfHours = 9_000_000_000_000L;
        assertEquals(Histogram.OVERFLOW, Histogram.index(Histogram.LIMIT_NANOS));
        assertEquals(Histogram.OVERFLOW, Histogram.index(Long.MAX_VALUE));
        assertEquals(twoAndAHalfHours, Histogram.value(Histogram.index(twoAndAHalfHours), 5, twoAndAHalfHours));
    }

    @Test
    void aBucketReportsNothingOutsideTheIntervalsMinimumAndMaximum() {
        long v = 1_234_567;
        assertEquals(v, Histogram.value(Histogram.index(v), v, v));
        assertEquals(v, Histogram.value(Histogram.index(v), 0, v));
    }

    /** The memory docs/how-it-works.md states: two slots of two-byte counts, the carry tables, at most 8 KiB. */
    @Test
    void aCellsHistogramFitsTheStatedMemory() {
        assertEquals(38, Histogram.PER_OCTAVE);
        assertEquals(1636, Histogram.BUCKETS);
        long counts = 16 + 2L * 2 * Histogram.BUCKETS;
        long carries = 16 + 4L * 2 * Cell.CARRY_ENTRIES;
        long slots = 16 + 8L * 2 * Cell.SLOT_SIZE;
        assertEquals(6560, counts);
        assertEquals(528, carries);
        assertTrue(counts + carries + slots + 64 <= 8 * 1024, "over 8 KiB: " + (counts + carries + slots + 64));
    }
}
