package io.monasca.perf.source;

/** Call time of one operation over a round, in milliseconds: average weighted by calls, smallest and largest. */
public record Timing(long calls, double avgMs, double minMs, double maxMs) {
}
