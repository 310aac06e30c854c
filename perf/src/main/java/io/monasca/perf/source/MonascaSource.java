package io.monasca.perf.source;

import io.monasca.perf.monasca.MonascaApiException;
import io.monasca.perf.monasca.MonascaClient.Combine;
import io.monasca.perf.monasca.MonascaClient.Element;
import io.monasca.perf.monasca.MonascaClient;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's metrics as stored in Monasca, read through the Monasca REST API v2.0: the sums, since the start
 * of the round, of {@code monasca.persister.upsert.received} (received) and {@code monasca.persister.flush.items}
 * (persisted) over every persister instance (merged, or grouped and added up), and the time gauges.
 */
public final class MonascaSource implements MetricSource {
    private final MonascaClient client;
    private final Map<String, String> dimensions;
    private final Combine combine;
    private volatile Instant since;

    public MonascaSource(MonascaClient client, Map<String, String> dimensions, Combine combine, Instant since) {
        this.client = client;
        this.dimensions = new LinkedHashMap<>(dimensions);
        this.combine = combine;
        this.since = since;
    }

    @Override
    public String name() {
        return "monasca";
    }

    @Override
    public void reset() {
        since = Instant.now();
    }

    public void since(Instant start) {
        since = start;
    }

    @Override
    public Reading read() throws SourceException {
        return new Reading(Math.round(sum(AgentMetrics.RECEIVED)), Math.round(sum(AgentMetrics.PERSISTED)));
    }

    private double sum(String metric) throws SourceException {
        try {
            List<Element> elements = client.statistics(metric, dimensions, since, null, List.of("sum"), periodSeconds(), combine);
            double total = 0;
            for (Element element : elements) total += element.sum("sum");
            return total;
        } catch (MonascaApiException e) {
            throw new SourceException("monasca source: " + e.getMessage(), e);
        }
    }

    /**
     * The received and persisted counts between consecutive instants of {@code edges} (start inclusive, end
     * exclusive, as the API's start_time and end_time): {@code edges.size() - 1} readings, from two measurements
     * queries over the whole span whose rows are then summed per span.
     */
    public List<Reading> between(List<Instant> edges) throws SourceException {
        if (edges.size() < 2) return List.of();
        long[] received = sumsBetween(AgentMetrics.RECEIVED, edges);
        long[] persisted = sumsBetween(AgentMetrics.PERSISTED, edges);
        List<Reading> readings = new java.util.ArrayList<>();
        for (int i = 0; i < received.length; i++) readings.add(new Reading(received[i], persisted[i]));
        return readings;
    }

    private long[] sumsBetween(String metric, List<Instant> edges) throws SourceException {
        double[] sums = new double[edges.size() - 1];
        try {
            for (Element e : client.measurements(metric, dimensions, edges.get(0), edges.get(edges.size() - 1), combine)) {
                for (var row : e.rows()) {
                    Instant t = Instant.parse(row.get(0).asText());
                    for (int i = 0; i < sums.length; i++) {
                        if (!t.isBefore(edges.get(i)) && t.isBefore(edges.get(i + 1))) sums[i] += row.get(1).asDouble();
                    }
                }
            }
        } catch (MonascaApiException e) {
            throw new SourceException("monasca source: " + e.getMessage(), e);
        }
        long[] rounded = new long[sums.length];
        for (int i = 0; i < sums.length; i++) rounded[i] = Math.round(sums[i]);
        return rounded;
    }

    /** One period covering everything since the start keeps the answer to a row per series. */
    private long periodSeconds() {
        return Math.max(60, Instant.now().getEpochSecond() - since.getEpochSecond() + 3600);
    }

    /**
     * Time stats of one operation since the start: avg weighted by the calls of the same interval, min of the
     * minimums, max of the maximums. The daemon stamps each series with its own last sample's arrival, so an
     * interval's {@code time.avg} is paired with the {@code completed} measurement of the same series closest in
     * time. A daemon flush that spans two agent intervals keeps only the last gauge (the daemon's rule), so this
     * average can differ from the statsd source's.
     */
    public Timing timing(String operation) throws SourceException {
        try {
            Instant start = since;
            Map<String, List<double[]>> completedBySeries = new LinkedHashMap<>();
            double calls = 0;
            for (Element e : client.measurements(AgentMetrics.counter(operation, "completed"), dimensions, start, null, Combine.GROUP_BY_ALL)) {
                List<double[]> rows = completedBySeries.computeIfAbsent(e.dimensions().toString(), k -> new java.util.ArrayList<>());
                for (var row : e.rows()) {
                    rows.add(new double[]{Instant.parse(row.get(0).asText()).toEpochMilli(), row.get(1).asDouble()});
                    calls += row.get(1).asDouble();
                }
            }
            double weighted = 0;
            double weights = 0;
            for (Element e : client.measurements(AgentMetrics.time(operation, "avg"), dimensions, start, null, Combine.GROUP_BY_ALL)) {
                List<double[]> completed = completedBySeries.getOrDefault(e.dimensions().toString(), List.of());
                for (var row : e.rows()) {
                    double t = Instant.parse(row.get(0).asText()).toEpochMilli();
                    double[] nearest = null;
                    for (double[] c : completed) if (nearest == null || Math.abs(c[0] - t) < Math.abs(nearest[0] - t)) nearest = c;
                    if (nearest != null) {
                        weighted += nearest[1] * row.get(1).asDouble();
                        weights += nearest[1];
                    }
                }
            }
            double min = Double.NaN;
            double max = Double.NaN;
            for (Element e : client.statistics(AgentMetrics.time(operation, "min"), dimensions, start, null, List.of("min"), periodSeconds(), combine)) {
                for (var row : e.rows()) min = Double.isNaN(min) ? row.get(1).asDouble() : Math.min(min, row.get(1).asDouble());
            }
            for (Element e : client.statistics(AgentMetrics.time(operation, "max"), dimensions, start, null, List.of("max"), periodSeconds(), combine)) {
                for (var row : e.rows()) max = Double.isNaN(max) ? row.get(1).asDouble() : Math.max(max, row.get(1).asDouble());
            }
            return new Timing(Math.round(calls), weights == 0 ? Double.NaN : weighted / weights, min, max);
        } catch (MonascaApiException e) {
            throw new SourceException("monasca source: " + e.getMessage(), e);
        }
    }

}
