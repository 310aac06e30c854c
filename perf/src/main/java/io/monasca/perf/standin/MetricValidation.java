package io.monasca.perf.standin;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * monasca-common's {@code validation/metrics.py}, as monasca-api applies it to every metric of a
 * {@code POST /v2.0/metrics}: one failing metric makes the whole batch answer 422 with the reason, which names the
 * metric. Returns null for a valid metric.
 */
public final class MetricValidation {
    public static final int MAX_LENGTH = 255;
    public static final int MAX_VALUE_META_KEYS = 16;
    public static final int MAX_VALUE_META_JSON = 2048;
    /** {@code > < = { } ( ) , " ; &}, backslash and space. */
    private static final Pattern NAME_FORBIDDEN = Pattern.compile("[<>={}(),\"\\\\;& ]");
    /** {@code > < = { } , " ; &} and backslash. */
    private static final Pattern DIMENSION_FORBIDDEN = Pattern.compile("[<>={},\"\\\\;&]");

    private MetricValidation() {
    }

    /** Why monasca-api would refuse this metric, naming it; null when it accepts it. */
    public static String problem(JsonNode metric) {
        if (metric == null || !metric.isObject()) return "a metric is not a JSON object: " + metric;
        JsonNode name = metric.get("name");
        if (name == null || name.isNull()) return "metric " + metric + ": name is required";
        if (!name.isTextual()) return "metric " + metric + ": name must be a string";
        String n = name.asText();
        String where = "metric '" + n + "'";
        if (n.isEmpty() || n.length() > MAX_LENGTH) return where + ": name must have 1 to " + MAX_LENGTH + " characters, has " + n.length();
        if (NAME_FORBIDDEN.matcher(n).find()) return where + ": invalid characters in the metric name (none of > < = { } ( ) , \" ; & \\ space)";
        String dimensions = dimensions(metric.get("dimensions"));
        if (dimensions != null) return where + ": " + dimensions;
        JsonNode value = metric.get("value");
        if (value == null || value.isNull()) return where + ": value is required";
        if (!value.isNumber()) return where + ": value must be a number: " + value;
        if (!Double.isFinite(value.asDouble())) return where + ": value must be a finite number: " + value;
        JsonNode timestamp = metric.get("timestamp");
        if (timestamp == null || timestamp.isNull()) return where + ": timestamp is required";
        if (!timestamp.isNumber()) return where + ": timestamp must be a number: " + timestamp;
        String valueMeta = valueMeta(metric.get("value_meta"));
        return valueMeta == null ? null : where + ": " + valueMeta;
    }

    private static String dimensions(JsonNode dimensions) {
        if (dimensions == null || dimensions.isNull()) return null;
        if (!dimensions.isObject()) return "dimensions must be an object";
        for (Iterator<Map.Entry<String, JsonNode>> it = dimensions.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> d = it.next();
            String key = d.getKey();
            if (key.isEmpty() || key.length() > MAX_LENGTH) return "dimension key '" + key + "' must have 1 to " + MAX_LENGTH + " characters";
            if (key.startsWith("_")) return "dimension key '" + key + "' must not start with '_'";
            if (DIMENSION_FORBIDDEN.matcher(key).find()) return "invalid characters in dimension key '" + key + "'";
            if (!d.getValue().isTextual()) return "dimension value of '" + key + "' must be a string: " + d.getValue();
            String value = d.getValue().asText();
            if (value.isEmpty() || value.length() > MAX_LENGTH) {
                return "dimension value of '" + key + "' must have 1 to " + MAX_LENGTH + " characters, has " + value.length();
            }
            if (DIMENSION_FORBIDDEN.matcher(value).find()) return "invalid characters in dimension value of '" + key + "': '" + value + "'";
        }
        return null;
    }

    private static String valueMeta(JsonNode valueMeta) {
        if (valueMeta == null || valueMeta.isNull()) return null;
        if (!valueMeta.isObject()) return "value_meta must be an object";
        if (valueMeta.size() > MAX_VALUE_META_KEYS) return "value_meta has " + valueMeta.size() + " keys, at most " + MAX_VALUE_META_KEYS;
        for (Iterator<String> it = valueMeta.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (key.isEmpty() || key.length() > MAX_LENGTH) return "value_meta key must have 1 to " + MAX_LENGTH + " characters";
        }
        if (valueMeta.toString().length() > MAX_VALUE_META_JSON) return "value_meta is longer than " + MAX_VALUE_META_JSON + " characters as JSON";
        return null;
    }
}
