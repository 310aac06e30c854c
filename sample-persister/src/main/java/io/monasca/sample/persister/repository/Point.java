package io.monasca.sample.persister.repository;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One measurement ready to store: InfluxDB measurement (the metric name), tags (dimensions plus tenant and
 * region, sorted by key as InfluxDB prefers), the value, the optional value_meta as JSON text, and the
 * timestamp in epoch milliseconds.
 */
public record Point(String measurement, SortedMap<String, String> tags, double value, String valueMeta,
                    long timestampMillis) {

    public Point {
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    }
}
