package io.monasca.perf.toggle;

import io.monasca.perf.report.PairedDifferences;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How noisy a phase's machine was, from its measured windows. ABBA order puts two windows of the same mode next to
 * each other between the pairs (2-3 on, 4-5 off, 6-7 on, ...): how much two neighbouring agent-off windows differ is
 * the machine's noise with the agent in neither, on the same scale as the pairs' differences. Beside it, what the
 * noise came from: steal time, other processes' CPU time, and how long the persister's threads waited for a CPU.
 *
 * @param offNeighbours  100 x (second - first) / first of the CPU per message of each neighbouring off-off pair
 * @param stealPct       steal time, percent of the machine's CPU capacity (every CPU's time over the windows)
 * @param othersPct      CPU time of processes other than the persister and perf, percent of that capacity
 * @param perfPct        perf's own (broker, producer, sources), percent of that capacity
 * @param waitedMsPerWindow how long the persister's threads waited for a CPU, per window
 */
public record Noise(PairedDifferences offNeighbours, double stealPct, double othersPct, double perfPct, double waitedMsPerWindow) {

    public static Noise of(Window.Phase phase, List<Window> all) {
        List<Window> measured = all.stream().filter(w -> w.phase == phase && w.measured()).toList();
        List<Double> differences = new ArrayList<>();
        for (int i = 1; i + 1 < measured.size(); i += 2) {
            Window a = measured.get(i);
            Window b = measured.get(i + 1);
            if (!a.on() && !b.on()) {
                double x = a.cpuMicrosPerMessage();
                double y = b.cpuMicrosPerMessage();
                differences.add(x > 0 ? 100 * (y - x) / x : Double.NaN);
            }
        }
        List<Window> read = measured.stream().filter(w -> w.machine != null && w.cpu != null).toList();
        // every CPU's time from /proc/stat, not seconds x this JVM's processors: perf may be pinned to fewer
        double capacityMs = read.stream().mapToDouble(w -> w.machine.capacityNanos() / 1e6).sum();
        return new Noise(PairedDifferences.of(differences),
                share(read.stream().mapToDouble(Window::stealMillis).sum(), capacityMs),
                share(read.stream().mapToDouble(Window::othersMillis).sum(), capacityMs),
                share(read.stream().mapToDouble(Window::perfMillis).sum(), capacityMs),
                measured.stream().filter(w -> w.cpu != null).mapToDouble(w -> w.cpu.waitNanos() / 1e6).average().orElse(Double.NaN));
    }

    private static double share(double ms, double capacityMs) {
        return capacityMs > 0 ? 100 * ms / capacityMs : Double.NaN;
    }

    /** The standard deviation of {@link #offNeighbours}: how much windows differ with the agent in neither; NaN below 2. */
    public double windowToWindowPct() {
        return offNeighbours.stddev();
    }

    /**
     * Whether the machine's noise, not the agent, decides the headline: it is not resolved (its interval includes 0)
     * or it did not reach {@code precision} points, while windows with the agent in neither differ by more than the
     * headline's mean.
     */
    public boolean dominates(PairedDifferences headline, double precision) {
        boolean unresolved = headline.pairs() >= 2 && headline.ci95Low() <= 0 && headline.ci95High() >= 0;
        boolean imprecise = !(headline.halfWidth() <= precision);
        return Double.isFinite(windowToWindowPct()) && (unresolved || imprecise && windowToWindowPct() > Math.abs(headline.mean()));
    }

    /** The figures in a sentence: how much windows differ, and what else ran. */
    public String describe() {
        String spread = Double.isFinite(windowToWindowPct())
                ? String.format(Locale.ROOT, "windows differ by +-%.1f %% with the agent in neither (standard deviation over %d "
                + "neighbouring agent-off windows)", windowToWindowPct(), offNeighbours.pairs())
                : "too few neighbouring agent-off windows to say how much windows differ with the agent in neither";
        return spread + String.format(Locale.ROOT, "; meanwhile other processes used %s of the machine's CPU, steal time %s, "
                        + "perf itself (broker, producer) %s, and the persister's threads waited %s ms per window for a CPU",
                pct(othersPct), pct(stealPct), pct(perfPct), Double.isFinite(waitedMsPerWindow)
                        ? String.format(Locale.ROOT, "%.0f", waitedMsPerWindow) : "an unknown number of");
    }

    /** The verdict's addition when the noise dominates: the figure, and that the agent's cost is below it. */
    public String verdict(PairedDifferences headline) {
        return String.format(Locale.ROOT, "The machine's noise dominates: %s; the agent's cost is below what this run can "
                + "resolve (+-%.2f %% at 95 %%).", describe(), headline.halfWidth());
    }

    private static String pct(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.1f %%", value) : "an unknown share";
    }
}
