package io.monasca.perf.toggle;

import io.monasca.perf.cpu.ProcessCpu;
import io.monasca.perf.report.PairedDifferences;

import java.util.List;
import java.util.Locale;

/**
 * Whether unmeasured windows in pairs (one off, one on each: the warm-up, the settle windows before the fixed rate)
 * have reached a steady state, measured rather than assumed: over the last {@code pairs} pairs,
 * <ul>
 *   <li>the CPU per message of the agent-off windows is flat: from the first of them to the last it moved by at most
 *   the noise those same pairs show (the standard deviation of their on-versus-off differences, at least
 *   {@link #FLOOR_PCT} %): a drift the measured pairs could not tell from noise;</li>
 *   <li>the JIT compilers are nearly idle: in every window of the last pair they used at most {@link #QUIET_JIT} of
 *   the application threads' CPU time.</li>
 * </ul>
 * A JVM that still compiles, or whose CPU per message still falls window after window, puts a drift that is not
 * linear into the measured pairs, which ABBA order does not cancel.
 */
public final class SteadyState {
    /** The JIT compilers are nearly idle when they use at most this share of the application threads' CPU time. */
    public static final double QUIET_JIT = 0.05;
    /** A drift below this many percent is flat whatever the noise (a very quiet machine). */
    static final double FLOOR_PCT = 1.0;

    /** What was found: {@code steady}, and the figures that decided it, in a sentence. */
    public record Check(boolean steady, String figures) {
    }

    private SteadyState() {
    }

    /** The check over the last {@code pairs} pairs of {@code windows} (off and on windows, two per pair, in order). */
    public static Check check(List<Window> windows, int pairs) {
        if (pairs < 2 || windows.size() < 2 * pairs) return new Check(false, "fewer than " + pairs + " pairs so far");
        List<Window> last = windows.subList(windows.size() - 2 * pairs, windows.size());
        List<double[]> pairValues = PairedDifferences.pairs(last, Window::on, Window::cpuMicrosPerMessage);
        if (pairValues.isEmpty()) return new Check(false, "no pair of one off and one on window");
        double noise = PairedDifferences.percent(pairValues).stddev();
        double mean = pairValues.stream().mapToDouble(p -> p[0]).average().orElse(Double.NaN);
        double drift = 100 * (pairValues.get(pairValues.size() - 1)[0] - pairValues.get(0)[0]) / mean;
        double allowed = Math.max(FLOOR_PCT, Double.isFinite(noise) ? noise : 0);
        double jit = last.subList(last.size() - 2, last.size()).stream()
                .mapToDouble(w -> w.cpu == null || w.cpu.application() == 0 ? 1
                        : (double) w.cpu.group(ProcessCpu.Group.JIT) / w.cpu.application())
                .max().orElse(1);
        boolean flat = Double.isFinite(drift) && Math.abs(drift) <= allowed;
        boolean quiet = jit <= QUIET_JIT;
        String figures = String.format(Locale.ROOT, "the agent-off windows' CPU per message moved %+.1f %% over the last %d "
                        + "pairs (allowed: %.1f %%, the noise within those pairs)%s; the JIT compilers used %.0f %% of the "
                        + "application's CPU time in the last pair (at most %.0f %%)%s", drift, pairs, allowed,
                flat ? "" : ": NOT FLAT", 100 * jit, 100 * QUIET_JIT, quiet ? "" : ": NOT QUIET");
        return new Check(flat && quiet, figures);
    }
}
