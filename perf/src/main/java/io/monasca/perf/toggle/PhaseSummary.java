package io.monasca.perf.toggle;

import io.monasca.perf.report.PairedDifferences;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One phase's comparison: its measured windows paired 1-2, 3-4, ... (one off and one on each, ABBA order), and the
 * paired differences, on minus off, of each measure.
 *
 * @param cpu        CPU per message without the JIT compiler threads: 100 x (on - off) / off per pair (the headline)
 * @param process    the same for the whole process, JIT compilers included
 * @param throughput 100 x (off - on) / off of the throughput per pair: positive when slower with the agent
 * @param handler    the same as {@code cpu} for the handler threads alone (the persister's consumer threads; the
 *                   other application threads, the agent's exporter among them, left out): beside the headline
 */
public record PhaseSummary(Window.Phase phase, int windows, double rate, Means cpuMeans, PairedDifferences cpu,
                           Means processMeans, PairedDifferences process, Means jitMeans, Means gcMeans,
                           Means throughputMeans, PairedDifferences throughput, Means handlerMeans,
                           PairedDifferences handler) {

    /** Mean of a measure over the phase's measured windows with the agent off and with it on. */
    public record Means(double off, double on) {
    }

    public static PhaseSummary of(Window.Phase phase, List<Window> all) {
        List<Window> measured = all.stream().filter(w -> w.phase == phase && w.measured()).toList();
        return new PhaseSummary(phase, measured.size(), measured.isEmpty() ? 0 : measured.get(0).rate,
                means(measured, Window::cpuMicrosPerMessage), PairedDifferences.percent(pairs(measured, Window::cpuMicrosPerMessage)),
                means(measured, Window::processMicrosPerMessage), PairedDifferences.percent(pairs(measured, Window::processMicrosPerMessage)),
                means(measured, Window::jitMicrosPerMessage), means(measured, Window::gcMicrosPerMessage),
                means(measured, Window::throughput), PairedDifferences.percentLower(pairs(measured, Window::throughput)),
                means(measured, Window::handlerMicrosPerMessage), PairedDifferences.percent(pairs(measured, Window::handlerMicrosPerMessage)));
    }

    private static List<double[]> pairs(List<Window> measured, ToDoubleFunction<Window> value) {
        return PairedDifferences.pairs(measured, Window::on, value);
    }

    private static Means means(List<Window> windows, ToDoubleFunction<Window> value) {
        return new Means(mean(windows, false, value), mean(windows, true, value));
    }

    private static double mean(List<Window> windows, boolean on, ToDoubleFunction<Window> value) {
        return windows.stream().filter(w -> w.on() == on).mapToDouble(value).filter(Double::isFinite).average().orElse(Double.NaN);
    }
}
