package io.monasca.perf.standin;

import java.util.Map;

/** One measurement held by the stand-in Monasca API. */
public record StoredMeasurement(String name, Map<String, String> dimensions, long timestampMillis, double value) {
}
