package io.monasca.perf.source;

/** The agent's call-time gauges of one operation for one reporting interval (seconds since the round started). */
public record IntervalTiming(double seconds, String operation, long completed, double avgMs, double minMs, double maxMs) {
}
