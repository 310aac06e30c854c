package io.monasca.sample.persister.pipeline;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.monasca.sample.persister.repository.Point;

/**
 * Parses and validates one Monasca metric envelope,
 * {@code {"metric":{"name","dimensions","timestamp","value","value_meta"},"meta":{"tenantId","region"},"creation_time"}},
 * into a point tagged with its dimensions, {@value #TENANT_TAG} and {@value #REGION_TAG} (the tag names of
 * Monasca's InfluxDB schema). Thread-safe.
 */
public final class MetricMessageParser {

    public static final String TENANT_TAG = "_tenant_id";
    public static final String REGION_TAG = "_region";
    static final int MAX_TEXT_LENGTH = 255;
    /** monasca-persister's value_meta field for a metric without one. */
    public static final String EMPTY_VALUE_META = "{}";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int maxMessageSize;

    /** @param maxMessageSize longest accepted message, in characters */
    public MetricMessageParser(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    /**
     * Parses one message holding one envelope.
     *
     * @throws MalformedMessageException also for an array of envelopes; see {@link #parseAll}
     */
    public Point parse(String message) throws MalformedMessageException {
        JsonNode envelope = readJson(message);
        if (envelope == null || !envelope.isObject()) {
            throw new MalformedMessageException("not a JSON object");
        }
        return envelope(envelope);
    }

    /**
     * Parses one message holding one envelope or, as the Java persister accepts, a JSON array of envelopes.
     * A message is accepted or rejected whole: one malformed envelope in an array rejects the message.
     */
    public List<Point> parseAll(String message) throws MalformedMessageException {
        JsonNode json = readJson(message);
        if (json != null && json.isArray()) {
            if (json.isEmpty()) {
                throw new MalformedMessageException("an empty array");
            }
            List<Point> points = new ArrayList<>(json.size());
            for (int i = 0; i < json.size(); i++) {
                JsonNode envelope = json.get(i);
                if (!envelope.isObject()) {
                    throw new MalformedMessageException("array element " + i + " is not a JSON object");
                }
                try {
                    points.add(envelope(envelope));
                } catch (MalformedMessageException e) {
                    throw new MalformedMessageException("array element " + i + ": " + e.getMessage());
                }
            }
            return points;
        }
        if (json == null || !json.isObject()) {
            throw new MalformedMessageException("not a JSON object or array of objects");
        }
        return List.of(envelope(json));
    }

    private JsonNode readJson(String message) throws MalformedMessageException {
        if (message == null) {
            throw new MalformedMessageException("empty message");
        }
        if (message.length() > maxMessageSize) {
            throw new MalformedMessageException("oversized: " + message.length() + " characters, more than "
                    + maxMessageSize);
        }
        JsonNode envelope;
        try {
            envelope = JSON.readTree(message);
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("not JSON: " + e.getOriginalMessage());
        }
        return envelope;
    }

    private static Point envelope(JsonNode envelope) throws MalformedMessageException {
        JsonNode metric = object(envelope, "metric");
        JsonNode meta = object(envelope, "meta");

        String name = text(metric, "name", "metric.name");
        if (name.startsWith("#")) {
            // Line protocol reads a line starting with '#' as a comment.
            throw new MalformedMessageException("metric.name must not start with '#'");
        }
        TreeMap<String, String> tags = dimensions(metric.get("dimensions"));
        tags.put(TENANT_TAG, text(meta, "tenantId", "meta.tenantId"));
        tags.put(REGION_TAG, text(meta, "region", "meta.region"));
        return new Point(name, tags, value(metric.get("value")), valueMeta(metric.get("value_meta")),
                timestamp(metric.get("timestamp")));
    }

    private static JsonNode object(JsonNode parent, String field) throws MalformedMessageException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            throw new MalformedMessageException("missing '" + field + "'");
        }
        if (!node.isObject()) {
            throw new MalformedMessageException("'" + field + "' is not an object");
        }
        return node;
    }

    private static String text(JsonNode parent, String field, String path) throws MalformedMessageException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            throw new MalformedMessageException("missing '" + path + "'");
        }
        if (!node.isTextual()) {
            throw new MalformedMessageException("'" + path + "' is not a string");
        }
        return checkText(node.asText(), path);
    }

    /** Monasca's own limits, plus what line protocol cannot carry (control characters, backslashes). */
    private static String checkText(String text, String path) throws MalformedMessageException {
        if (text.isEmpty() || text.length() > MAX_TEXT_LENGTH) {
            throw new MalformedMessageException("'" + path + "' must have 1 to " + MAX_TEXT_LENGTH + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '\\') {
                throw new MalformedMessageException("'" + path + "' contains a control character or backslash");
            }
        }
        return text;
    }

    private static TreeMap<String, String> dimensions(JsonNode node) throws MalformedMessageException {
        TreeMap<String, String> dimensions = new TreeMap<>();
        if (node == null || node.isNull()) {
            return dimensions;
        }
        if (!node.isObject()) {
            throw new MalformedMessageException("'metric.dimensions' is not an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> dimension = it.next();
            String key = checkText(dimension.getKey(), "metric.dimensions key");
            if (key.startsWith("_")) {
                // Reserved for the tenant and region tags.
                throw new MalformedMessageException("dimension '" + key + "' starts with '_'");
            }
            if (key.equals("time")) {
                // InfluxDB refuses a point with a tag key 'time' (HTTP 400, partial write).
                throw new MalformedMessageException("dimension key 'time' is reserved by InfluxDB");
            }
            if (!dimension.getValue().isTextual()) {
                throw new MalformedMessageException("dimension '" + key + "' is not a string");
            }
            dimensions.put(key, checkText(dimension.getValue().asText(), "metric.dimensions." + key));
        }
        return dimensions;
    }

    private static double value(JsonNode node) throws MalformedMessageException {
        if (node == null || node.isNull()) {
            throw new MalformedMessageException("missing 'metric.value'");
        }
        if (!node.isNumber()) {
            throw new MalformedMessageException("'metric.value' is not a number");
        }
        double value = node.asDouble();
        if (!Double.isFinite(value)) {
            throw new MalformedMessageException("'metric.value' is not finite");
        }
        return value;
    }

    private static long timestamp(JsonNode node) throws MalformedMessageException {
        if (node == null || node.isNull()) {
            throw new MalformedMessageException("missing 'metric.timestamp'");
        }
        if (!node.isNumber()) {
            throw new MalformedMessageException("'metric.timestamp' is not a number");
        }
        double millis = node.asDouble();
        if (!(millis > 0) || millis > Long.MAX_VALUE / 1_000_000) {
            // InfluxDB stores nanoseconds in a signed 64-bit integer.
            throw new MalformedMessageException("'metric.timestamp' out of range: " + node);
        }
        return node.isIntegralNumber() ? node.asLong() : (long) millis;
    }

    /** value_meta is a map of strings; stored as its JSON text, {@code "{}"} when absent, as monasca-persister does. */
    private static String valueMeta(JsonNode node) throws MalformedMessageException {
        if (node == null || node.isNull()) {
            return EMPTY_VALUE_META;
        }
        if (!node.isObject()) {
            throw new MalformedMessageException("'metric.value_meta' is not an object");
        }
        return node.toString();
    }
}
