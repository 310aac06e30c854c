package io.monasca.perf.report;

import io.monasca.perf.run.IntervalTiming;
import io.monasca.perf.run.RoundResult;
import io.monasca.perf.run.TimelinePoint;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws the report's PNG with XChart: persisted metrics/second over time for every round (agent off in blue,
 * on in orange), then, when the agent's statsd metrics were collected, upsert and flush time avg/min/max.
 */
public final class PlotWriter {
    public static final String FILE_NAME = "throughput.png";
    /** Agent off: shades of blue; on: shades of orange, one shade per round. */
    private static final Color[] OFF = {new Color(31, 119, 180), new Color(95, 160, 215), new Color(12, 60, 120), new Color(150, 190, 230)};
    private static final Color[] ON = {new Color(255, 127, 14), new Color(200, 80, 0), new Color(255, 170, 90), new Color(150, 60, 0)};
    /** Rates are taken over at least this many seconds, so that poll jitter does not draw spikes. */
    private static final double RATE_WINDOW_SECONDS = 1.0;

    private PlotWriter() {
    }

    public static Path write(List<RoundResult> rounds, Path folder) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<XYChart> charts = new ArrayList<>();
        charts.add(throughputChart(rounds));
        for (String operation : List.of("upsert", "flush")) {
            XYChart chart = timeChart(rounds, operation);
            if (chart != null) charts.add(chart);
        }
        Path file = folder.resolve(FILE_NAME);
        BitmapEncoder.saveBitmap(charts, charts.size(), 1, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }

    private static XYChart throughputChart(List<RoundResult> rounds) {
        XYChart chart = new XYChartBuilder().width(1000).height(420)
                .title("Persisted metrics/second, agent off (blue) vs on (orange)")
                .xAxisTitle("seconds since the round's first message was received").yAxisTitle("metrics/second").build();
        style(chart);
        for (RoundResult round : rounds) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            rates(round.timeline, round.firstReceivedSeconds, x, y);
            if (x.isEmpty()) continue;
            XYSeries series = chart.addSeries("round " + round.round + " (" + round.mode + ")", x, y);
            series.setLineColor(colour(round));
            series.setMarker(SeriesMarkers.NONE);
        }
        if (chart.getSeriesMap().isEmpty()) {
            chart.addSeries("no data", new double[]{0}, new double[]{0}).setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    static void rates(List<TimelinePoint> timeline, double origin, List<Double> x, List<Double> y) {
        TimelinePoint last = null;
        for (TimelinePoint point : timeline) {
            if (point.seconds() < origin - RATE_WINDOW_SECONDS) continue;
            if (last == null) {
                last = point;
                continue;
            }
            double span = point.seconds() - last.seconds();
            if (span < RATE_WINDOW_SECONDS) continue;
            x.add(point.seconds() - origin);
            y.add((point.persisted() - last.persisted()) / span);
            last = point;
        }
    }

    private static Color colour(RoundResult round) {
        Color[] shades = round.mode.equals("on") ? ON : OFF;
        return shades[((round.round + 1) / 2 - 1 + shades.length) % shades.length];
    }

    /** Log axes cannot show 0: a call faster than the clock's resolution is drawn at 1 microsecond. */
    private static double[] positive(double[] values) {
        for (int i = 0; i < values.length; i++) values[i] = Math.max(values[i], 0.001);
        return values;
    }

    private static XYChart timeChart(List<RoundResult> rounds, String operation) {
        XYChart chart = new XYChartBuilder().width(1000).height(320)
                .title(operation + " time per agent interval (statsd source): avg solid, min/max dashed")
                .xAxisTitle("seconds since the round's first message was received").yAxisTitle("milliseconds").build();
        style(chart);
        double low = Double.MAX_VALUE;
        double high = 0;
        for (RoundResult round : rounds) {
            for (IntervalTiming i : round.intervals) {
                if (!i.operation().equals(operation) || i.completed() == 0) continue;
                low = Math.min(low, Math.max(i.minMs(), 0.001));
                high = Math.max(high, i.maxMs());
            }
        }
        // a log axis only when the values span decades (XChart labels no tick inside a single decade)
        boolean logarithmic = high / low > 100;
        chart.getStyler().setYAxisLogarithmic(logarithmic);
        if (logarithmic) chart.setTitle(chart.getTitle() + ", log scale");
        BasicStroke dashed = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{4f, 4f}, 0f);
        for (RoundResult round : rounds) {
            List<IntervalTiming> intervals = round.intervals.stream()
                    .filter(i -> i.operation().equals(operation) && i.completed() > 0).toList();
            if (intervals.isEmpty()) continue;
            Color c = colour(round);
            String label = "round " + round.round + " " + operation;
            double[] x = intervals.stream().mapToDouble(i -> i.seconds() - round.firstReceivedSeconds).toArray();
            addLine(chart, label + " avg", x, positive(intervals.stream().mapToDouble(IntervalTiming::avgMs).toArray()), c, null);
            addLine(chart, label + " min", x, positive(intervals.stream().mapToDouble(IntervalTiming::minMs).toArray()), c, dashed);
            addLine(chart, label + " max", x, positive(intervals.stream().mapToDouble(IntervalTiming::maxMs).toArray()), c, dashed);
        }
        return chart.getSeriesMap().isEmpty() ? null : chart;
    }

    private static void addLine(XYChart chart, String name, double[] x, double[] y, Color colour, BasicStroke stroke) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setLineColor(colour);
        series.setMarker(SeriesMarkers.NONE);
        if (stroke != null) series.setLineStyle(stroke);
    }

    private static void style(XYChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(0);
    }
}
