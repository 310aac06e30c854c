package io.monasca.perf.toggle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.monasca.perf.report.PairedDifferences;
import io.monasca.perf.source.IntervalTiming;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.monasca.perf.report.ReportWriter.ci;
import static io.monasca.perf.report.ReportWriter.fmt;
import static io.monasca.perf.report.ReportWriter.interval;
import static io.monasca.perf.report.ReportWriter.number;
import static io.monasca.perf.report.ReportWriter.round2;
import static io.monasca.perf.report.ReportWriter.round3;

/**
 * A second, independent estimate of the agent's cost, beside the A/B comparison of the windows: per pair of the
 * headline phase, the agent's timed calls per message in the "on" window (its statsd counts: upsert and flush
 * calls) x what one timed call cost in the persister's JVM at that window's start edge (the agent MBean's
 * {@code calibrateCallCost}: the clock pair and the recorder) / the CPU per message of the pair's "off" window, in
 * percent. Its 95 % interval is the Student-t interval over the pairs, like the A/B figure's: each pair has its own
 * calibration, its own calls per message and its own "off" window, so the spread between calibrations and between
 * windows are both in it (a calibration's own repetitions are summed up by their median: their spread reaches the
 * interval only through the spread between edges, which it is part of).
 *
 * <p>A lower bound: it leaves out what the woven code does to the JIT's inlining of the methods it is in and to the
 * caches, and the agent's exporter thread. An A/B interval wholly below it is flagged: the windows then understate a
 * cost the agent's calls alone are known to have. One wholly above it is flagged too, with the gap: the cost the
 * calibration does not explain.
 */
public final class DirectCost {
    /** Calls per repetition asked of the agent: about 1 to 2 ms a repetition once compiled. */
    static final int CALLS = 10_000;
    /** Calibrations at the first use, not kept: the agent's loop is then compiled, as the woven code is. */
    static final int WARM_UP_CALIBRATIONS = 3;

    /** The A/B interval lies wholly below the direct cost; wholly above it; includes it. */
    public static final String AB_BELOW = "ab_below_direct_cost";
    public static final String AB_ABOVE = "ab_above_direct_cost";
    public static final String AB_INCLUDES = "none";

    /** One calibration: nanoseconds per timed call (median of its repetitions), their range, the clock pair alone. */
    public record Calibration(double nanosPerCall, double minNanos, double maxNanos, double clockPairNanos, boolean cpuTime) {
        static Calibration of(double[] answer) {
            return new Calibration(answer[0], answer[1], answer[2], answer[5], answer.length > 6 && answer[6] == 1);
        }
    }

    /**
     * The estimate: {@code percent} per pair (null when it cannot be made, then {@code note} says why), the means
     * it rests on, and the flag against the A/B interval.
     */
    public record Estimate(PairedDifferences percent, double callsPerMessage, double nanosPerCall, double minNanos,
                           double maxNanos, double clockPairNanos, int calibrations, String note, String flag) {
        public boolean made() {
            return percent != null && percent.pairs() > 0;
        }
    }

    private DirectCost() {
    }

    /** The timed calls (ended: completed or failed) of every operation in these statsd intervals. */
    static long timedCalls(List<IntervalTiming> intervals) {
        return intervals.stream().mapToLong(IntervalTiming::completed).sum();
    }

    /** Not estimated, and why (restart mode, no statsd listener, the agent's MBean unreachable...). */
    public static Estimate none(String why) {
        return new Estimate(null, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, why, null);
    }

    /**
     * The estimate over the headline phase's measured windows, and its flag against {@code ab} (the A/B figure's
     * differences, percent). {@code unavailable}: why no window could be calibrated, if known.
     */
    public static Estimate of(List<Window> measured, PairedDifferences ab, String unavailable) {
        List<Double> percent = new ArrayList<>();
        List<Window> onWindows = new ArrayList<>();
        List<PairedDifferences.OffOn<Window>> pairs = PairedDifferences.offOn(measured, Window::on); // as the A/B figure's
        for (PairedDifferences.OffOn<Window> pair : pairs) {
            Window off = pair.off();
            Window on = pair.on();
            if (on.callCost == null || on.timedCalls < 0 || on.received <= 0) continue;
            double offNanosPerMessage = 1000 * off.cpuMicrosPerMessage();
            if (!(offNanosPerMessage > 0)) continue;
            percent.add(100 * callsPerMessage(on) * on.callCost.nanosPerCall() / offNanosPerMessage);
            onWindows.add(on);
        }
        if (percent.isEmpty()) {
            return none(unavailable != null ? unavailable : pairs.isEmpty() ? "no pair of measured windows"
                    : "no \"on\" window with both a calibration and the agent's call counts (statsd)");
        }
        PairedDifferences estimate = PairedDifferences.of(percent);
        String note = "per pair: the agent's timed calls per message in the \"on\" window x one timed call's cost, "
                + "calibrated in the persister's JVM at that window's start edge / the \"off\" window's CPU per message; "
                + "a lower bound (it leaves out inlining and cache effects and the exporter thread)";
        return new Estimate(estimate, mean(onWindows, DirectCost::callsPerMessage),
                mean(onWindows, w -> w.callCost.nanosPerCall()),
                onWindows.stream().mapToDouble(w -> w.callCost.nanosPerCall()).min().orElse(Double.NaN),
                onWindows.stream().mapToDouble(w -> w.callCost.nanosPerCall()).max().orElse(Double.NaN),
                mean(onWindows, w -> w.callCost.clockPairNanos()), onWindows.size(), note, flag(ab, estimate.mean()));
    }

    /** Where the A/B interval lies against the direct cost's estimate; null when either is unknown. */
    static String flag(PairedDifferences ab, double direct) {
        if (ab == null || ab.pairs() < 2 || !Double.isFinite(direct) || !Double.isFinite(ab.ci95High())) return null;
        if (ab.ci95High() < direct) return AB_BELOW;
        if (ab.ci95Low() > direct) return AB_ABOVE;
        return AB_INCLUDES;
    }

    static double callsPerMessage(Window on) {
        return on.timedCalls / (double) on.received;
    }

    /** report.json's summary fields: {@code direct_cost_pct}, {@code direct_cost_ci95}, and what they rest on. */
    public static void json(ObjectNode summary, Estimate e) {
        if (e.made()) {
            number(summary, "direct_cost_pct", round2(e.percent().mean()));
            ci(summary, "direct_cost_ci95", e.percent());
        } else {
            summary.putNull("direct_cost_pct");
            summary.putNull("direct_cost_ci95");
        }
        summary.put("direct_cost_note", e.note());
        if (e.flag() != null) summary.put("direct_cost_flag", e.flag());
        else summary.putNull("direct_cost_flag");
        if (e.made()) {
            ObjectNode d = summary.putObject("direct_cost");
            d.put("pairs", e.percent().pairs());
            number(d, "timed_calls_per_message", round3(e.callsPerMessage()));
            number(d, "ns_per_timed_call", round2(e.nanosPerCall()));
            number(d, "ns_per_timed_call_min", round2(e.minNanos()));
            number(d, "ns_per_timed_call_max", round2(e.maxNanos()));
            number(d, "clock_pair_ns", round2(e.clockPairNanos()));
            d.put("lower_bound", true);
        }
    }

    /** The lines beside the headline: the figure, what it is, and the flag in words. */
    public static String describe(Estimate e, PairedDifferences ab) {
        if (!e.made()) return "Direct cost of the agent's calls: not estimated (" + e.note() + ").";
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "Direct cost of the agent's calls (a lower bound): %s: %s timed calls per message x %s ns per timed call "
                        + "(calibrated in the persister at %d window edges, %s .. %s ns; the clock pair alone %s ns) / the "
                        + "\"off\" windows' CPU per message. It leaves out what the woven code does to the JIT's inlining and "
                        + "to the caches, and the exporter thread, so the agent costs at least this.",
                interval(e.percent()), fmt("%.3f", e.callsPerMessage()), fmt("%.1f", e.nanosPerCall()), e.calibrations(),
                fmt("%.1f", e.minNanos()), fmt("%.1f", e.maxNanos()), fmt("%.1f", e.clockPairNanos())));
        if (AB_BELOW.equals(e.flag())) {
            s.append(String.format(Locale.ROOT, " FLAG: the A/B figure's interval (%.2f .. %.2f %%) lies wholly below it: "
                    + "the windows understate a cost the agent's calls alone are known to have (noise, or a drift the ABBA "
                    + "order did not cancel); its lower end is not to be trusted.", ab.ci95Low(), ab.ci95High()));
        } else if (AB_ABOVE.equals(e.flag())) {
            s.append(String.format(Locale.ROOT, " FLAG: the A/B figure's interval (%.2f .. %.2f %%) lies wholly above it: "
                    + "the agent costs at least %.2f points more than its calls' clock and recording (inlining, caches, the "
                    + "exporter, or a drift between the windows).", ab.ci95Low(), ab.ci95High(), ab.ci95Low() - e.percent().mean()));
        } else if (AB_INCLUDES.equals(e.flag())) {
            s.append(" The A/B figure's interval includes it.");
        }
        return s.toString();
    }

    private static double mean(List<Window> windows, java.util.function.ToDoubleFunction<Window> value) {
        return windows.stream().mapToDouble(value).filter(Double::isFinite).average().orElse(Double.NaN);
    }
}
