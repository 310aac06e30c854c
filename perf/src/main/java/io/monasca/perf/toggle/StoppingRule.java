package io.monasca.perf.toggle;

import io.monasca.perf.report.PairedDifferences;

/**
 * When the backlog phase (the headline's) stops taking windows. Two designs:
 * <ul>
 *   <li><b>adaptive</b> (the default): ABBA quadruples until the headline's 95 % half-width is at most
 *   {@code --precision} points (asked after each whole quadruple, from {@link #MIN_PAIRS} pairs on: fewer pairs give
 *   an interval whose own spread is too wide to stop on), or until the next pair would not fit in what is left of
 *   {@code --max-time} (asked before each pair, from the measured length of the windows so far);</li>
 *   <li><b>fixed</b> ({@code --backlog-windows N}): exactly N windows.</li>
 * </ul>
 * Stopping when the interval first gets narrow enough makes the reported interval slightly too optimistic for the
 * run's own noise (the run stops on a lucky stretch more often than on an unlucky one); asking only every quadruple,
 * from eight pairs on, keeps that small. The precision reported is always the half-width the pairs give, never the
 * target.
 */
public final class StoppingRule {
    /** The values of {@code summary.stopped_by}: a public contract. */
    public static final String PRECISION = "precision";
    public static final String MAX_TIME = "max_time";
    public static final String WINDOWS = "windows";
    /** The adaptive design asks for the precision only from this many pairs on, after whole quadruples. */
    public static final int MIN_PAIRS = 8;

    private final int fixedWindows;
    private final double precision;
    private final double budgetSeconds;

    private StoppingRule(int fixedWindows, double precision, double budgetSeconds) {
        this.fixedWindows = fixedWindows;
        this.precision = precision;
        this.budgetSeconds = budgetSeconds;
    }

    /** {@code windows} measured windows, whatever the precision. */
    public static StoppingRule fixed(int windows) {
        return new StoppingRule(windows, Double.NaN, Double.POSITIVE_INFINITY);
    }

    /** Until the half-width is at most {@code precision} points or {@code budgetSeconds} would be passed. */
    public static StoppingRule adaptive(double precision, double budgetSeconds) {
        return new StoppingRule(-1, precision, budgetSeconds);
    }

    public boolean isFixed() {
        return fixedWindows >= 0;
    }

    /**
     * Asked before the phase's measured window {@code next} (1, 2, ...): null to run it, else why the phase stops.
     *
     * @param sofar         the headline's paired differences over the windows done
     * @param elapsed       seconds of the budget spent (since the persister started)
     * @param pairSeconds   how long the next pair of windows is expected to take, waits included
     * @param reserveSeconds what must stay in the budget after the phase (the fixed-rate phase)
     */
    public String before(int next, PairedDifferences sofar, double elapsed, double pairSeconds, double reserveSeconds) {
        if (isFixed()) return next > fixedWindows ? WINDOWS : null;
        if (next % 2 == 0) return null; // a pair is never cut in two
        if ((next - 1) % 4 == 0 && reached(sofar)) return PRECISION;
        if (elapsed + pairSeconds + reserveSeconds > budgetSeconds) return MAX_TIME;
        return null;
    }

    /** Whether {@code sofar} has reached the target: enough pairs and a half-width at most the target. */
    boolean reached(PairedDifferences sofar) {
        return sofar.pairs() >= MIN_PAIRS && sofar.halfWidth() <= precision;
    }
}
