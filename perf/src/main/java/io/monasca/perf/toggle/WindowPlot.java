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
 * The plot of a toggle run: per window, at its start time, CPU per message (JIT compilers excluded), the JIT
 * compilers' CPU per message, and throughput; agent off in blue, on in orange, warm-up and settle windows in grey.
 */
final class WindowPlot {
    private static final Color OFF = new Color(31, 119, 180);
    private static final Color ON = new Color(255, 127, 14);
    private static final Color OTHER = new Color(170, 170, 170);
    private static final String X_TITLE = "seconds since the persister started (window start)";

    private WindowPlot() {
    }

    static Path write(List<Window> windows, Path folder) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<XYChart> charts = List.of(
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
            charts.get(0).getStyler().setYAxisMin(Math.max(0, low - 0.5 * (high - low) - 0.05 * low));
            charts.get(0).getStyler().setYAxisMax(high + 0.5 * (high - low) + 0.05 * high);
        }
        Path file = folder.resolve(PlotWriter.FILE_NAME);
        BitmapEncoder.saveBitmap(charts, charts.size(), 1, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
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
        XYSeries series = chart.addSeries(name, x, y);
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setMarkerColor(colour);
        series.setLineColor(colour);
        series.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.NONE);
    }
}
