package io.monasca.perf.toggle;

import io.monasca.perf.report.PlotWriter;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The plot of a toggle run. On top, the evidence of the verdict: the per-pair differences of CPU per message (on vs
 * off, in percent) the verdict rests on, at each pair's start, with the headline phase's mean and 95 % interval as
 * lines, and the headline as the panel's title. Then per window, at its start time, CPU per message (JIT compilers
 * excluded; scaled to the measured windows: a warm-up or settle window above that scale is drawn at its top as a
 * triangle, "clipped"), the JIT compilers' CPU per message, and throughput; agent off in blue, on in orange, warm-up
 * and settle windows in grey.
 */
final class WindowPlot {
    private static final Color OFF = new Color(31, 119, 180);
    private static final Color ON = new Color(255, 127, 14);
    private static final Color OTHER = new Color(170, 170, 170);
    private static final Color BACKLOG_PAIRS = new Color(44, 160, 44);
    private static final Color RATE_PAIRS = new Color(148, 103, 189);
    private static final Color HEADLINE = new Color(214, 39, 40);
    private static final String X_TITLE = "seconds since the persister started (window start)";
    static final String CLIPPED = "warm-up, settle: above the scale (clipped)";

    private WindowPlot() {
    }

    static Path write(List<Window> windows, List<PhaseSummary> phases, PhaseSummary headline, String title, Path folder)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path file = folder.resolve(PlotWriter.FILE_NAME);
        List<XYChart> charts = charts(windows, phases, headline, title);
        BitmapEncoder.saveBitmap(charts, charts.size(), 1, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }

    /** The panels, top to bottom. */
    static List<XYChart> charts(List<Window> windows, List<PhaseSummary> phases, PhaseSummary headline, String title) {
        List<XYChart> charts = List.of(
                pairs(windows, phases, headline, title),
                chart(windows, "CPU per message, application threads: off blue, on orange, unmeasured grey",
                        "microseconds", Window::cpuMicrosPerMessage),
                chart(windows, "JIT compiler threads' CPU per message (warm-up, recompiling after a switch)",
                        "microseconds", Window::jitMicrosPerMessage),
                chart(windows, "Throughput per window", "messages/second", Window::throughput));
        double end = windows.stream().mapToDouble(w -> w.startSeconds).max().orElse(1);
        for (XYChart chart : charts) {
            chart.getStyler().setXAxisMin(0.0);
            chart.getStyler().setXAxisMax(Math.max(end, 1));
        }
        // the measured windows' scale: the first warm-up windows (a cold JVM) would squash them into a line
        double[] measured = windows.stream().filter(Window::measured).mapToDouble(Window::cpuMicrosPerMessage)
                .filter(Double::isFinite).toArray();
        if (measured.length > 0) {
            double high = java.util.Arrays.stream(measured).max().orElse(1);
            double low = java.util.Arrays.stream(measured).min().orElse(0);
            double top = high + 0.5 * (high - low) + 0.05 * high;
            XYChart cpu = charts.get(1);
            cpu.getStyler().setYAxisMin(Math.max(0, low - 0.5 * (high - low) - 0.05 * low));
            cpu.getStyler().setYAxisMax(top);
            clip(cpu, windows, top);
        }
        return charts;
    }

    /**
     * The windows above the scale are drawn at its top, as triangles in a series of their own, instead of falling
     * off the panel unseen; their points in the grey series are moved there too.
     */
    private static void clip(XYChart chart, List<Window> windows, double top) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Window w : windows) {
            if (!w.measured() && w.cpuMicrosPerMessage() > top) {
                x.add(w.startSeconds);
                y.add(top);
            }
        }
        if (x.isEmpty()) return;
        XYSeries unmeasured = chart.getSeriesMap().get("warm-up, settle");
        if (unmeasured != null) {
            List<Double> keptX = new ArrayList<>();
            List<Double> keptY = new ArrayList<>();
            for (Window w : windows) {
                double v = w.cpuMicrosPerMessage();
                if (!w.measured() && Double.isFinite(v) && v <= top) {
                    keptX.add(w.startSeconds);
                    keptY.add(v);
                }
            }
            chart.removeSeries("warm-up, settle");
            if (!keptX.isEmpty()) style(chart.addSeries("warm-up, settle", keptX, keptY), SeriesMarkers.CIRCLE, OTHER);
        }
        style(chart.addSeries(CLIPPED, x, y), SeriesMarkers.TRIANGLE_UP, OTHER);
    }

    /**
     * Per pair of measured windows, 100 x (on - off) / off of the CPU per message, at the start of the pair's first
     * window; the headline phase's mean and interval as horizontal lines over its pairs; 0 as a line.
     */
    private static XYChart pairs(List<Window> windows, List<PhaseSummary> phases, PhaseSummary headline, String title) {
        XYChart chart = PlotWriter.chart(title, X_TITLE, "on vs off, % per pair");
        chart.getStyler().setMarkerSize(7);
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        // 0 first, so that a mean near 0 is drawn over it
        double end = windows.stream().mapToDouble(w -> w.startSeconds).max().orElse(1);
        XYSeries zero = chart.addSeries("0", new double[]{0, Math.max(end, 1)}, new double[]{0, 0});
        zero.setMarker(SeriesMarkers.NONE);
        zero.setLineColor(Color.DARK_GRAY);
        zero.setShowInLegend(false);
        for (PhaseSummary phase : phases) {
            List<Window> measured = windows.stream().filter(w -> w.phase == phase.phase() && w.measured()).toList();
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int i = 0; i + 1 < measured.size(); i += 2) {
                Window a = measured.get(i);
                Window b = measured.get(i + 1);
                if (a.on() == b.on()) continue;
                double off = (a.on() ? b : a).cpuMicrosPerMessage();
                double on = (a.on() ? a : b).cpuMicrosPerMessage();
                if (!(off > 0) || !Double.isFinite(on)) continue;
                x.add(a.startSeconds);
                y.add(100 * (on - off) / off);
            }
            if (x.isEmpty()) continue;
            String name = phase.phase().label + " pairs (" + x.size() + ")";
            style(chart.addSeries(name, x, y), SeriesMarkers.DIAMOND, phase.phase() == Window.Phase.BACKLOG ? BACKLOG_PAIRS : RATE_PAIRS);
            if (phase == headline && phase.cpu().pairs() >= 2) {
                double from = x.get(0);
                double to = x.get(x.size() - 1) + measured.get(measured.size() - 1).seconds;
                line(chart, String.format(java.util.Locale.ROOT, "mean %+.2f %%", phase.cpu().mean()), from, to, phase.cpu().mean(), null);
                java.awt.BasicStroke dashed = new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT,
                        java.awt.BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f);
                line(chart, String.format(java.util.Locale.ROOT, "95 %% CI %.2f .. %.2f", phase.cpu().ci95Low(), phase.cpu().ci95High()),
                        from, to, phase.cpu().ci95Low(), dashed);
                line(chart, "95 % CI high", from, to, phase.cpu().ci95High(), dashed).setShowInLegend(false);
            }
        }
        if (chart.getSeriesMap().size() == 1) chart.setTitle(title + " (no pair of measured windows)");
        return chart;
    }

    private static XYSeries line(XYChart chart, String name, double from, double to, double y, java.awt.BasicStroke stroke) {
        XYSeries series = chart.addSeries(name, new double[]{from, to}, new double[]{y, y});
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(HEADLINE);
        if (stroke != null) series.setLineStyle(stroke);
        return series;
    }

    private static XYChart chart(List<Window> windows, String title, String yTitle, ToDoubleFunction<Window> value) {
        XYChart chart = PlotWriter.chart(title, X_TITLE, yTitle);
        chart.getStyler().setMarkerSize(7);
        chart.getStyler().setYAxisDecimalPattern("#,##0.##");
        add(chart, "off", windows, w -> w.measured() && !w.on(), value, OFF);
        add(chart, "on", windows, w -> w.measured() && w.on(), value, ON);
        add(chart, "warm-up, settle", windows, w -> !w.measured(), value, OTHER);
        if (chart.getSeriesMap().isEmpty()) chart.addSeries("no window", new double[]{0}, new double[]{0});
        return chart;
    }

    private static void add(XYChart chart, String name, List<Window> windows, Predicate<Window> which,
                            ToDoubleFunction<Window> value, Color colour) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Window w : windows) {
            double v = value.applyAsDouble(w);
            if (which.test(w) && Double.isFinite(v)) {
                x.add(w.startSeconds);
                y.add(v);
            }
        }
        if (x.isEmpty()) return;
        style(chart.addSeries(name, x, y), SeriesMarkers.CIRCLE, colour);
    }

    private static void style(XYSeries series, org.knowm.xchart.style.markers.Marker marker, Color colour) {
        series.setMarker(marker);
        series.setMarkerColor(colour);
        series.setLineColor(colour);
        series.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.NONE);
    }
}
