package io.monasca.perf.report;

import io.monasca.perf.run.IntervalTiming;
import io.monasca.perf.run.RoundResult;
import io.monasca.perf.run.TimelinePoint;
import io.monasca.perf.source.AgentMetrics;
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
import java.util.Locale;

/**
 * Draws the report's PNG with XChart: persisted metrics over time for every round (agent off in blue, on in
 * orange; the slope is the throughput, given in the legend), then, when the agent's statsd metrics were collected,
 * upsert and flush time avg/min/max per agent interval. All panels share the x axis.
 *
 * <p>Persisted counts, not rates between polls: the persister writes whole batches, so the count jumps by a batch
 * between two polls and a short round may have no two polls a rate could be taken over; a cumulative line shows
 * every round, however short.
 */
public final class PlotWriter {
    public static final String FILE_NAME = "throughput.png";
    private static final List<String> TIMED_OPERATIONS = List.of(AgentMetrics.TIMED_OPERATIONS);
    /** Agent off: shades of blue; on: shades of orange, one shade per round. */
    private static final Color[] OFF = {new Color(31, 119, 180), new Color(95, 160, 215), new Color(12, 60, 120), new Color(150, 190, 230)};
    private static final Color[] ON = {new Color(255, 127, 14), new Color(200, 80, 0), new Color(255, 170, 90), new Color(150, 60, 0)};
    private static final String X_TITLE = "seconds since the round's first message was received";

    private PlotWriter() {
    }

    public static Path write(List<RoundResult> rounds, Path folder) throws IOException {
        return write(rounds, folder, null);
    }

    /** {@code headline}: the verdict in a line, the top panel's title (null: that panel's own title). */
    public static Path write(List<RoundResult> rounds, Path folder, String headline) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<XYChart> charts = new ArrayList<>();
        charts.add(persistedChart(rounds));
        if (headline != null && rounds.stream().anyMatch(r -> !r.timeline.isEmpty())) {
            charts.get(0).setTitle(headline); // the legend gives each round's throughput (the slope)
        }
        for (String operation : TIMED_OPERATIONS) {
            if (timed(rounds, operation)) charts.add(timeChart(rounds, operation));
        }
        double end = charts.stream().flatMap(c -> c.getSeriesMap().values().stream())
                .mapToDouble(XYSeries::getXMax).max().orElse(1);
        for (XYChart chart : charts) {
            chart.getStyler().setXAxisMin(0.0);
            chart.getStyler().setXAxisMax(Math.max(end, 0.1));
        }
        Path file = folder.resolve(FILE_NAME);
        BitmapEncoder.saveBitmap(charts, charts.size(), 1, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }

    /**
     * The plot of a run stopped by Ctrl-C is written from a shutdown hook, when ImageIO's file cache cannot register
     * the hook that closes its temporary files ("Shutdown in progress"): a PNG of a few panels is cached in memory.
     */
    public static void readyForShutdown() {
        javax.imageio.ImageIO.setUseCache(false);
    }

    /** Null when every panel is drawn; else the report's note on which call-time panels are left out and why. */
    public static String omittedPanels(List<RoundResult> rounds) {
        List<String> missing = TIMED_OPERATIONS.stream().filter(op -> !timed(rounds, op)).toList();
        if (missing.isEmpty()) return null;
        return "The plot has no " + String.join(" and no ", missing) + " time panel: no agent interval with "
                + String.join(" or ", missing) + " calls reached the statsd listener (no round with the agent on "
                + "completed, or its calls ended before the agent's first interval).";
    }

    private static boolean timed(List<RoundResult> rounds, String operation) {
        return rounds.stream().flatMap(r -> r.intervals.stream()).anyMatch(i -> i.operation().equals(operation) && i.completed() > 0);
    }

    private static XYChart persistedChart(List<RoundResult> rounds) {
        XYChart chart = chart("Persisted metrics over time (slope = throughput), agent off (blue) vs on (orange)", "metrics persisted");
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        for (RoundResult round : rounds) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            persisted(round, x, y);
            if (x.size() < 2) continue;
            String label = String.format(Locale.ROOT, "round %d %s: %,.0f/s", round.round, round.mode, round.throughput);
            XYSeries series = chart.addSeries(label, x, y);
            series.setLineColor(colour(round));
            series.setMarker(SeriesMarkers.NONE);
        }
        if (chart.getSeriesMap().isEmpty()) {
            chart.setTitle("Persisted metrics over time: no round completed");
            chart.addSeries("no data", new double[]{0}, new double[]{0}).setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /**
     * The round's persisted count from its first message received (0 then) to its last poll; polls before that
     * instant are left out (nothing was received yet, so nothing persisted).
     */
    static void persisted(RoundResult round, List<Double> x, List<Double> y) {
        if (round.timeline.isEmpty()) return;
        x.add(0.0);
        y.add(0.0);
        for (TimelinePoint point : round.timeline) {
            double seconds = point.seconds() - round.firstReceivedSeconds;
            if (seconds <= 0) continue;
            x.add(seconds);
            y.add((double) point.persisted());
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
        XYChart chart = chart(operation + " time per agent interval (statsd source): avg solid, min/max dashed", "milliseconds");
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        chart.getStyler().setMarkerSize(5); // a round shorter than two agent intervals has single points, no line
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
            String label = "round " + round.round + " " + round.mode + ": ";
            double[] x = intervals.stream().mapToDouble(i -> i.seconds() - round.firstReceivedSeconds).toArray();
            addLine(chart, label + "avg", x, positive(intervals.stream().mapToDouble(IntervalTiming::avgMs).toArray()), c, null);
            addLine(chart, label + "min", x, positive(intervals.stream().mapToDouble(IntervalTiming::minMs).toArray()), c, dashed);
            addLine(chart, label + "max", x, positive(intervals.stream().mapToDouble(IntervalTiming::maxMs).toArray()), c, dashed);
        }
        return chart;
    }

    private static void addLine(XYChart chart, String name, double[] x, double[] y, Color colour, BasicStroke stroke) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setLineColor(colour);
        series.setMarkerColor(colour);
        series.setMarker(stroke == null ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
        if (stroke != null) {
            series.setLineStyle(stroke);
            series.setShowInLegend(false); // the title says what the dashed lines are: one legend entry per round
        }
    }

    private static XYChart chart(String title, String yTitle) {
        return chart(title, X_TITLE, yTitle);
    }

    /** Every panel the same size and style, seconds with one decimal (XChart's default prints 15 digits). */
    public static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(1000).height(360).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        Styler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setMarkerSize(0);
        chart.getStyler().setXAxisDecimalPattern("0.0");
        return chart;
    }
}
