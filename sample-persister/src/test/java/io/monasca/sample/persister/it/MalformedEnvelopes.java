package io.monasca.sample.persister.it;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Every kind of malformed message the persister must skip, each made from a valid envelope of {@link Envelopes} (so
 * it is malformed in one way only, and would become a point of its own if it were wrongly accepted).
 */
final class MalformedEnvelopes {

    /** A named way to spoil a valid envelope. */
    record Kind(String name, UnaryOperator<String> spoil) {

        String apply(String envelope) {
            String spoiled = spoil.apply(envelope);
            if (spoiled.equals(envelope)) {
                throw new IllegalStateException("kind '" + name + "' left the envelope unchanged: " + envelope);
            }
            return spoiled;
        }
    }

    /** The persister's {@code maxMessageSize} for these kinds: "oversized" is longer. */
    static final int MAX_MESSAGE_SIZE = 2048;

    private static final String NAME = "\"name\":\"metric_\\d+\"";
    private static final String VALUE = "\"value\":[0-9.]+,";
    private static final String TIMESTAMP = "\"timestamp\":\\d+";
    private static final String DIMENSIONS = "\"dimensions\":\\{";
    private static final String DIMENSIONS_OPEN = "\"dimensions\":{";

    private MalformedEnvelopes() {
    }

    static final List<Kind> KINDS = List.of(
            new Kind("truncated JSON", e -> e.substring(0, e.length() / 2)),
            new Kind("not JSON at all", e -> "metric_001 host_0001 12.5"),
            new Kind("empty message", e -> ""),
            new Kind("a JSON number", e -> "42"),
            new Kind("a JSON string", e -> "\"" + e.replace("\"", "'") + "\""),
            new Kind("JSON null", e -> "null"),
            new Kind("an empty array", e -> "[]"),
            new Kind("an array of numbers", e -> "[1,2]"),
            new Kind("an array with one bad envelope", e -> "[" + e + "," + e.replaceFirst(NAME + ",", "") + "]"),
            new Kind("missing metric", e -> e.replaceFirst("\"metric\":\\{.*?\\},\"meta\"", "\"meta\"")),
            new Kind("metric not an object", e -> e.replaceFirst("\"metric\":\\{.*?\\},\"meta\"", "\"metric\":5,\"meta\"")),
            new Kind("missing meta", e -> e.replaceFirst(",\"meta\":\\{[^}]*\\}", "")),
            new Kind("missing name", e -> e.replaceFirst(NAME + ",", "")),
            new Kind("name not a string", e -> e.replaceFirst(NAME, "\"name\":5")),
            new Kind("empty name", e -> e.replaceFirst(NAME, "\"name\":\"\"")),
            new Kind("name longer than 255", e -> e.replaceFirst(NAME, "\"name\":\"" + "n".repeat(256) + "\"")),
            new Kind("name starting with #", e -> e.replaceFirst(NAME, "\"name\":\"#metric\"")),
            new Kind("control character in name", e -> e.replaceFirst(NAME, "\"name\":\"metric\\\\u0001\"")),
            new Kind("backslash in name", e -> e.replaceFirst(NAME, "\"name\":\"metric\\\\\\\\x\"")),
            new Kind("dimensions not an object", e -> e.replaceFirst(DIMENSIONS + "[^}]*\\}", "\"dimensions\":[\"a\"]")),
            new Kind("dimension key starting with _", e -> e.replaceFirst(DIMENSIONS, DIMENSIONS_OPEN + "\"_tenant_id\":\"x\",")),
            new Kind("dimension key time", e -> e.replaceFirst(DIMENSIONS, DIMENSIONS_OPEN + "\"time\":\"x\",")),
            new Kind("dimension value not a string", e -> e.replaceFirst("\"process\":\"\\d+\"", "\"process\":7")),
            new Kind("empty dimension value", e -> e.replaceFirst("\"service\":\"monitoring\"", "\"service\":\"\"")),
            new Kind("missing value", e -> e.replaceFirst(VALUE, "")),
            new Kind("value a string", e -> e.replaceFirst(VALUE, "\"value\":\"12\",")),
            new Kind("value NaN", e -> e.replaceFirst(VALUE, "\"value\":NaN,")),
            new Kind("value infinite", e -> e.replaceFirst(VALUE, "\"value\":1e999,")),
            new Kind("missing timestamp", e -> e.replaceFirst(TIMESTAMP + ",", "")),
            new Kind("timestamp a string", e -> e.replaceFirst(TIMESTAMP, "\"timestamp\":\"now\"")),
            new Kind("negative timestamp", e -> e.replaceFirst(TIMESTAMP, "\"timestamp\":-1")),
            new Kind("timestamp beyond 2262", e -> e.replaceFirst(TIMESTAMP, "\"timestamp\":1e300")),
            new Kind("value_meta not an object", e -> e.replace("\"value_meta\":null", "\"value_meta\":\"x\"")),
            new Kind("missing tenantId", e -> e.replaceFirst(",\"tenantId\":\"tenant_\\d+\"", "")),
            new Kind("tenantId not a string", e -> e.replaceFirst("\"tenantId\":\"tenant_\\d+\"", "\"tenantId\":3")),
            new Kind("missing region", e -> e.replaceFirst("\"region\":\"RegionOne\",", "")),
            new Kind("oversized", e -> e.replaceFirst(DIMENSIONS, DIMENSIONS_OPEN + padding())));

    /** Dimensions enough to pass {@link #MAX_MESSAGE_SIZE}, each value within the 255-character limit. */
    private static String padding() {
        StringBuilder padding = new StringBuilder();
        for (int i = 0; padding.length() <= MAX_MESSAGE_SIZE; i++) {
            padding.append("\"pad").append(i).append("\":\"").append("p".repeat(200)).append("\",");
        }
        return padding.toString();
    }
}
