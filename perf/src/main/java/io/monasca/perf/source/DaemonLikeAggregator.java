package io.monasca.perf.source;

import io.monasca.perf.standin.StoredMeasurement;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Aggregates statsd lines as the monasca-agent statsd daemon does between two flushes: counters ({@code c}) are
 * summed (scaled by their sample rate), gauges and timers ({@code g}, {@code ms}, {@code h}) keep the last value;
 * a series is the name plus the dimensions in the order given; a {@code hostname} dimension is added when absent.
 */
final class DaemonLikeAggregator {
    private final Map<String, Entry> series = new LinkedHashMap<>();
    private final String hostname;

    DaemonLikeAggregator() {
        String host = System.getenv("HOSTNAME");
        this.hostname = host == null || host.isBlank() ? "localhost" : host;
    }

    private static final class Entry {
        final String name;
        final Map<String, String> dimensions;
        final boolean counter;
        double value;

        Entry(String name, Map<String, String> dimensions, boolean counter) {
            this.name = name;
            this.dimensions = dimensions;
            this.counter = counter;
        }
    }

    void add(StatsdLine line) {
        boolean counter = line.type().equals("c");
        if (!counter && !List.of("g", "ms", "h", "r").contains(line.type())) return;  // 's' and unknown: dropped
        Map<String, String> dims = new LinkedHashMap<>(line.dimensions());
        dims.putIfAbsent("hostname", hostname);
        String key = line.name() + "|" + line.type() + "|" + dims;
        Entry e = series.computeIfAbsent(key, k -> new Entry(line.name(), dims, counter));
        if (counter) {
            e.value += line.value() / (line.sampleRate() > 0 ? line.sampleRate() : 1);
        } else {
            e.value = line.value();
        }
    }

    /** The measurements of the interval that just ended, stamped {@code timestampMillis}; starts a new interval. */
    List<StoredMeasurement> flush(long timestampMillis) {
        List<StoredMeasurement> out = new ArrayList<>();
        for (Entry e : series.values()) {
            out.add(new StoredMeasurement(e.name, e.dimensions, timestampMillis, e.value));
        }
        series.clear();
        return out;
    }
}
