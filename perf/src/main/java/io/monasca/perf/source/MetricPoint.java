package io.monasca.perf.source;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One point as monasca-agent's statsd daemon hands it to the forwarder and the forwarder posts it: name,
 * dimensions (with {@code hostname}), value, {@code value_meta} (null) and the flush time in epoch milliseconds
 * as a float ({@code time() * 1000}).
 */
public record MetricPoint(String name, Map<String, String> dimensions, double value, double timestampMillis) {
    public MetricPoint {
        dimensions = Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
    }

    /** {@code {"name","dimensions","value_meta","value","timestamp"}}, the body element of the forwarder's POST. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", name);
        ObjectNode d = o.putObject("dimensions");
        dimensions.forEach(d::put);
        o.putNull("value_meta");
        o.put("value", value);
        o.put("timestamp", timestampMillis);
        return o;
    }
}
