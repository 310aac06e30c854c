package io.monasca.testkit.statsd;

import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One call to make on the reference Python client ({@link MonascaStatsdOracle}).
 *
 * @param kind       which client call: counter {@code increment}, gauge {@code send} or timer {@code timing}
 * @param name       the full metric name
 * @param value      passed to Python as an {@code int} for Long/Integer/Short/Byte/BigInteger and as a
 *                   {@code float} (the same double, exactly) for Double/Float
 * @param sampleRate the {@code sample_rate} argument (1.0: none written)
 * @param dimensions the {@code dimensions} dict, in this order (unmodifiable copy)
 */
public record OracleMetric(Kind kind, String name, Number value, double sampleRate, Map<String, String> dimensions) {

    /** The monasca-statsd client calls. */
    public enum Kind {
        /** {@code Counter.increment(value, dimensions, sample_rate)}: a {@code c} line. */
        COUNTER,
        /** {@code Gauge.send(name, value, dimensions, sample_rate)}: a {@code g} line. */
        GAUGE,
        /** {@code Timer.timing(name, value, dimensions, sample_rate)}: also a {@code g} line. */
        TIMER
    }

    public OracleMetric {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (!(value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger || value instanceof Double || value instanceof Float)) {
            throw new IllegalArgumentException("value must be an integer type or Double/Float, not "
                    + value.getClass().getName());
        }
        dimensions = Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
    }

    public static OracleMetric counter(String name, long value, Map<String, String> dimensions) {
        return new OracleMetric(Kind.COUNTER, name, value, 1.0, dimensions);
    }

    public static OracleMetric gauge(String name, double value, Map<String, String> dimensions) {
        return new OracleMetric(Kind.GAUGE, name, value, 1.0, dimensions);
    }

    public static OracleMetric timing(String name, double value, Map<String, String> dimensions) {
        return new OracleMetric(Kind.TIMER, name, value, 1.0, dimensions);
    }

    /** This call with another sample rate. */
    public OracleMetric withSampleRate(double rate) {
        return new OracleMetric(kind, name, value, rate, dimensions);
    }

    /** Whether Python receives the value as an int (else as a float). */
    boolean integral() {
        return !(value instanceof Double || value instanceof Float);
    }
}
