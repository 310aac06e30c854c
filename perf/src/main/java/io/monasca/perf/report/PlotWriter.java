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
    private static final Color OFF = new Color(31, 119, 180);
    private static final Color ON = new Color(255, 127, 14);
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
            series.setLineColor(round.mode.equals("on") ? ON : OFF);
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

    private static XYChart timeChart(List<RoundResult> rounds, String operation) {
        XYChart chart = new XYChartBuilder().width(1000).height(320)
                .title(operation + " time per interval (agent's statsd metrics): avg solid, min/max dashed")
                .xAxisTitle("seconds since the round started").yAxisTitle("milliseconds").build();
        style(chart);
        chart.getStyler().setYAxisLogarithmic(false);
        BasicStroke dashed = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{4f, 4f}, 0f);
        int colour = 0;
        Color[] palette = {ON, new Color(214, 39, 40), new Color(44, 160, 44), new Color(148, 103, 189)};
        for (RoundResult round : rounds) {
            List<IntervalTiming> intervals = round.intervals.stream()
                    .filter(i -> i.operation().equals(operation) && i.completed() > 0).toList();
            if (intervals.isEmpty()) continue;
            Color c = palette[colour++ % palette.length];
            String label = "round " + round.round + " " + operation;
            double[] x = intervals.stream().mapToDouble(IntervalTiming::seconds).toArray();
            addLine(chart, label + " avg", x, intervals.stream().mapToDouble(IntervalTiming::avgMs).toArray(), c, null);
            addLine(chart, label + " min", x, intervals.stream().mapToDouble(IntervalTiming::minMs).toArray(), c, dashed);
            addLine(chart, label + " max", x, intervals.stream().mapToDouble(IntervalTiming::maxMs).toArray(), c, dashed);
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
