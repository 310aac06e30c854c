package io.monasca.agent.recording;

/**
 * The buckets of the per-interval duration histograms, and the value each bucket reports.
 *
 * <p>Log-linear with a uniform relative width: bucket 0 holds durations of 0 ns; each octave {@code [2^e, 2^(e+1))}
 * ns, {@code e} from 0 to 42, is cut into 256 equal grid steps (the 8 bits after the leading one), and consecutive
 * steps are grouped into {@value #PER_OCTAVE_TEXT} buckets, each as wide as it can be while every duration in it lies
 * within 0.99 % of the value the bucket reports (the harmonic mean of its bounds, which is equally far, relatively,
 * from both ends). Durations of {@link #LIMIT_NANOS} and more share the overflow bucket, which reports the
 * interval's exact maximum. The index is a shift, {@link Long#numberOfLeadingZeros} and one lookup in a 256-byte
 * table: no division, no logarithm, one branch (the range check).
 *
 * <p>Why not HdrHistogram's layout (2^s linear sub-buckets per octave)? For the same bound it needs 64 sub-buckets
 * per octave where this needs 38: with counts of two bytes and two slots per cell, 1 ns to 2.4 h at 1 % fits in
 * 8 KiB per cell only this way.
 */
public final class Histogram {
    /** Durations at or above 2^43 ns (2 h 26 min) go to the overflow bucket. */
    public static final long LIMIT_NANOS = 1L << 43;
    /** The stated bound: a reported percentile is within this fraction of the exact (nearest-rank) duration. */
    public static final double ERROR_BOUND = 0.01;
    /** What the buckets are cut to; the rest of {@link #ERROR_BOUND} covers rounding to picoseconds. */
    static final double BUCKET_ERROR = 0.0099;
    static final String PER_OCTAVE_TEXT = "38";
    private static final int OCTAVES = 43;
    private static final int GRID_BITS = 8;
    private static final int GRID = 1 << GRID_BITS;

    /** Sub-bucket of each grid step of an octave. */
    private static final byte[] SUB_BUCKET = new byte[GRID];
    /** First grid step of each sub-bucket, and {@link #GRID} after the last. */
    private static final int[] FIRST_STEP;
    public static final int PER_OCTAVE;
    /** The overflow bucket: the last one. */
    public static final int OVERFLOW;
    /** Buckets per histogram. */
    public static final int BUCKETS;

    static {
        int[] first = new int[GRID + 1];
        int buckets = 0;
        int a = GRID;
        while (a < 2 * GRID) {
            int b = a + 1;
            // widest bucket [a, b) whose ends are both within BUCKET_ERROR of its harmonic mean: (b-a)/(b+a)
            while (b < 2 * GRID && (double) (b + 1 - a) / (b + 1 + a) <= BUCKET_ERROR) {
                b++;
            }
            first[buckets] = a - GRID;
            for (int step = a; step < b; step++) {
                SUB_BUCKET[step - GRID] = (byte) buckets;
            }
            buckets++;
            a = b;
        }
        first[buckets] = GRID;
        FIRST_STEP = java.util.Arrays.copyOf(first, buckets + 1);
        PER_OCTAVE = buckets;
        OVERFLOW = 1 + OCTAVES * PER_OCTAVE;
        BUCKETS = OVERFLOW + 1;
    }

    private Histogram() {
    }

    /** The bucket of a duration in nanoseconds (negative ones, which a monotonic clock never gives, as 0). */
    public static int index(long nanos) {
        if (nanos - 1 + Long.MIN_VALUE >= LIMIT_NANOS - 1 + Long.MIN_VALUE) { // one unsigned compare for both ends
            return nanos <= 0 ? 0 : OVERFLOW;
        }
        int e = 63 - Long.numberOfLeadingZeros(nanos);
        int step = (int) ((nanos << GRID_BITS) >>> e) & (GRID - 1);
        return 1 + e * PER_OCTAVE + SUB_BUCKET[step];
    }

    /** Smallest duration (ns, exact as a double) of a bucket between 1 and {@link #OVERFLOW} - 1. */
    static double lowerBound(int bucket) {
        int e = (bucket - 1) / PER_OCTAVE;
        return Math.scalb((double) (GRID + FIRST_STEP[(bucket - 1) % PER_OCTAVE]), e - GRID_BITS);
    }

    /** The bucket's end (exclusive). */
    static double upperBound(int bucket) {
        int e = (bucket - 1) / PER_OCTAVE;
        return Math.scalb((double) (GRID + FIRST_STEP[(bucket - 1) % PER_OCTAVE + 1]), e - GRID_BITS);
    }

    /**
     * What a bucket reports, in nanoseconds, for an interval whose exact minimum and maximum are given: the harmonic
     * mean of its bounds, moved to the nearest whole nanosecond the bucket holds if it is not one, and into
     * {@code [min, max]}. Each move brings it closer to any duration that can be in the bucket, so the bound holds.
     */
    public static double value(int bucket, long minNanos, long maxNanos) {
        double v;
        if (bucket <= 0) {
            v = 0;
        } else if (bucket >= OVERFLOW) {
            v = maxNanos;
        } else {
            double low = lowerBound(bucket);
            double high = upperBound(bucket);
            v = 2 * low * high / (low + high);
            double firstWhole = Math.ceil(low);
            double lastWhole = Math.ceil(high) - 1;
            v = Math.min(Math.max(v, firstWhole), lastWhole);
        }
        return Math.min(Math.max(v, minNanos), maxNanos);
    }
}
