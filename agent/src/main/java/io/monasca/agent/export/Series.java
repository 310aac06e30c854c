package io.monasca.agent.export;

import java.util.Map;

/** One value to send: a counter or a gauge of one series (name plus dimensions, in a fixed order). */
final class Series {
    enum Kind {
        COUNTER("c"), GAUGE("g");

        final String statsdType;

        Kind(String statsdType) {
            this.statsdType = statsdType;
        }
    }

    final String name;
    final Kind kind;
    final String value;
    final Map<String, String> dimensions;

    Series(String name, Kind kind, String value, Map<String, String> dimensions) {
        this.name = name;
        this.kind = kind;
        this.value = value;
        this.dimensions = dimensions;
    }

    static Series counter(String name, long value, Map<String, String> dimensions) {
        return new Series(name, Kind.COUNTER, Long.toString(value), dimensions);
    }

    /** A duration known to a fraction of a nanosecond (a percentile), written to the picosecond. */
    static Series milliseconds(String name, double nanos, Map<String, String> dimensions) {
        return new Series(name, Kind.GAUGE, Milliseconds.formatPicos(Math.round(nanos * 1000)), dimensions);
    }

    static Series milliseconds(String name, long nanos, Map<String, String> dimensions) {
        return new Series(name, Kind.GAUGE, Milliseconds.format(nanos), dimensions);
    }
}
