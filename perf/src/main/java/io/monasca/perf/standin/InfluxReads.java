package io.monasca.perf.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The read side of the stand-in Monasca API: {@code GET /v2.0/metrics}, {@code /metrics/names},
 * {@code /metrics/measurements} and {@code /metrics/statistics}, each answered from InfluxDB with the InfluxQL that
 * monasca-api's {@code influxdb/metrics_repository.py} sends (tenant and region first, then the dimensions in sorted
 * key order; time bounds in microseconds; {@code show series ... limit 3} for the 409 check; {@code slimit 1} without
 * merge_metrics). It remembers nothing itself: it can only see what the persister stored.
 */
final class InfluxReads {
    static final String TENANT_TAG = "_tenant_id";
    static final String REGION_TAG = "_region";
    static final int MAX_LIMIT = 10000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter MEASUREMENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);
    private static final DateTimeFormatter STATISTICS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(java.time.ZoneOffset.UTC);
    private static final Set<String> STATISTICS = Set.of("avg", "min", "max", "count", "sum");

    /** An answer other than 200: status, title, description. */
    static final class ApiError extends Exception {
        final int status;
        final String title;

        ApiError(int status, String title, String message) {
            super(message);
            this.status = status;
            this.title = title;
        }
    }

    /** A page: the elements and, when more rows exist, the offset of the next page. */
    record Page(List<ObjectNode> elements, String nextOffset) {
    }

    private final InfluxQuery influx;
    private final String region;

    InfluxReads(InfluxQuery influx, String region) {
        this.influx = influx;
        this.region = region;
    }

    /** {@code GET /v2.0/metrics}: one element per series (name and dimensions). */
    List<ObjectNode> metrics(String tenant, Map<String, String> query) throws ApiError {
        String name = query.get("name");
        String q = "show series" + (blank(name) ? "" : " from " + InfluxQuery.identifier(name))
                + where(tenant, dimensions(query.get("dimensions")), null, null);
        List<ObjectNode> elements = new ArrayList<>();
        for (JsonNode series : run(q)) {
            for (JsonNode row : series.path("values")) {
                String key = row.path(0).asText();
                SeriesKey parsed = SeriesKey.parse(key);
                ObjectNode e = JSON.createObjectNode();
                e.put("id", Integer.toHexString(key.hashCode()));
                e.put("name", parsed.name());
                e.set("dimensions", JSON.valueToTree(parsed.dimensions()));
                elements.add(e);
            }
        }
        return elements;
    }

    /** {@code GET /v2.0/metrics/names}: the measurement names holding the tenant's points. */
    List<ObjectNode> names(String tenant, Map<String, String> query) throws ApiError {
        String q = "show measurements" + where(tenant, dimensions(query.get("dimensions")), null, null);
        TreeSet<String> names = new TreeSet<>();
        for (JsonNode series : run(q)) for (JsonNode row : series.path("values")) names.add(row.path(0).asText());
        List<ObjectNode> elements = new ArrayList<>();
        for (String n : names) elements.add(JSON.createObjectNode().put("name", n));
        return elements;
    }

    /** {@code GET /v2.0/metrics/measurements} or {@code /statistics}. */
    Page series(String tenant, Map<String, String> query, boolean statistics, int pageLimit) throws ApiError {
        String name = query.get("name");
        if (blank(name)) throw new ApiError(422, "Unprocessable Entity", "name is required");
        if (blank(query.get("start_time"))) throw new ApiError(422, "Unprocessable Entity", "start_time is required");
        Instant start = time(query, "start_time");
        Instant end = blank(query.get("end_time")) ? null : time(query, "end_time");
        if (end != null && !start.isBefore(end)) throw new ApiError(400, "Bad Request", "start_time must be before end_time");
        Map<String, String> dimensions = dimensions(query.get("dimensions"));
        boolean merge = Boolean.parseBoolean(query.getOrDefault("merge_metrics", "false"));
        String groupBy = blank(query.get("group_by")) ? null : query.get("group_by");
        int limit = Math.min(intParameter(query, "limit", pageLimit), pageLimit);
        if (limit <= 0) throw new ApiError(422, "Unprocessable Entity", "limit must be positive");
        List<String> stats = statistics ? statisticsNames(query) : List.of();
        long period = statistics ? intParameter(query, "period", 300) : 0;
        if (statistics && period <= 0) throw new ApiError(422, "Unprocessable Entity", "period must be positive");

        String from = " from " + InfluxQuery.identifier(name);
        if (!merge && groupBy == null) {
            JsonNode found = run("show series" + from + where(tenant, dimensions, null, null) + " limit 3");
            int count = 0;
            for (JsonNode s : found) count += s.path("values").size();
            if (count > 1) {
                throw new ApiError(409, "MultipleMetrics", "Found multiple metrics matching metric name and dimensions. "
                        + "Please refine your search criteria using a unique metric name or additional dimensions. "
                        + "Alternatively, you may specify 'merge_metrics=True' as a query param to combine all metrics "
                        + "matching search criteria into a single series.");
            }
        }
        Instant after = offset(query.get("offset"), statistics, period);
        Instant lower = after != null && after.isAfter(start) ? after : start;
        String select = statistics ? "select " + String.join(",", stats.stream().map(s -> (s.equals("avg") ? "mean" : s) + "(value)").toList())
                : "select value, value_meta";
        String q = select + from + where(tenant, dimensions, lower, end);
        List<String> groups = new ArrayList<>();
        if (groupBy != null) {
            if (groupBy.equals("*")) groups.add("*");
            else for (String k : groupBy.split(",")) groups.add(InfluxQuery.identifier(k.trim()));
        } else if (!merge) {
            groups.add("*");
        }
        if (statistics) groups.add("time(" + period + "s)");
        if (!groups.isEmpty()) q += " group by " + String.join(",", groups);
        if (statistics) q += " fill(none)";
        q += " limit " + (limit + 1);
        if (!merge && groupBy == null) q += " slimit 1";

        List<ObjectNode> elements = new ArrayList<>();
        String nextOffset = null;
        int index = 0;
        for (JsonNode series : run(q)) {
            ObjectNode e = JSON.createObjectNode();
            Map<String, String> tags = new TreeMap<>();
            series.path("tags").fields().forEachRemaining(t -> {
                if (!t.getKey().startsWith("_") && !t.getValue().asText().isEmpty()) tags.put(t.getKey(), t.getValue().asText());
            });
            e.put("id", Integer.toString(index++));
            e.put("name", name);
            e.set("dimensions", JSON.valueToTree(merge || (groupBy == null && tags.isEmpty()) ? new TreeMap<>(dimensions) : tags));
            ArrayNode columns = e.putArray("columns");
            columns.add("timestamp");
            ArrayNode rows = JSON.createArrayNode();
            JsonNode values = series.path("values");
            int n = Math.min(values.size(), limit);
            if (values.size() > limit) {
                // the next page starts after the last row's time: never cut between rows of one time (merged series)
                long cut = values.get(limit).path(0).asLong();
                int whole = n;
                while (whole > 0 && values.get(whole - 1).path(0).asLong() == cut) whole--;
                if (whole > 0) n = whole;
            }
            for (int i = 0; i < n; i++) {
                JsonNode v = values.get(i);
                ArrayNode row = rows.addArray();
                long millis = v.path(0).asLong();
                if (statistics) {
                    row.add(STATISTICS_TIME.format(Instant.ofEpochMilli(millis)));
                    for (int c = 1; c < v.size(); c++) row.add(v.get(c));
                } else {
                    row.add(MEASUREMENT_TIME.format(Instant.ofEpochMilli(millis)));
                    row.add(v.path(1));
                    row.add(valueMeta(v.path(2)));
                }
            }
            if (statistics) stats.forEach(columns::add);
            else {
                columns.add("value");
                columns.add("value_meta");
            }
            e.set(statistics ? "statistics" : "measurements", rows);
            if (values.size() > limit) {
                long last = values.get(n - 1).path(0).asLong();
                nextOffset = statistics ? STATISTICS_TIME.format(Instant.ofEpochMilli(last))
                        : e.path("id").asText() + "_" + MEASUREMENT_TIME.format(Instant.ofEpochMilli(last));
            }
            elements.add(e);
        }
        return new Page(elements, nextOffset);
    }

    private String where(String tenant, Map<String, String> dimensions, Instant start, Instant end) {
        StringBuilder w = new StringBuilder(" where ");
        w.append(InfluxQuery.identifier(REGION_TAG)).append(" = ").append(InfluxQuery.literal(region));
        w.append(" and ").append(InfluxQuery.identifier(TENANT_TAG)).append(" = ").append(InfluxQuery.literal(tenant));
        for (Map.Entry<String, String> d : new TreeMap<>(dimensions).entrySet()) {
            String key = InfluxQuery.identifier(d.getKey());
            String value = d.getValue();
            if (value.isEmpty()) w.append(" and ").append(key).append(" =~ /.+/");
            else if (value.contains("|")) {
                List<String> options = new ArrayList<>();
                for (String o : value.split("\\|")) options.add(Pattern.quote(o).replace("/", "\\/"));
                w.append(" and ").append(key).append(" =~ /^(").append(String.join("|", options)).append(")$/");
            } else w.append(" and ").append(key).append(" = ").append(InfluxQuery.literal(value));
        }
        if (start != null) w.append(" and time >= ").append(micros(start)).append("u");
        if (end != null) w.append(" and time < ").append(micros(end)).append("u");
        return w.toString();
    }

    private JsonNode run(String influxql) throws ApiError {
        try {
            return influx.series(influxql);
        } catch (InfluxQuery.InfluxException e) {
            throw new ApiError(500, "Internal Server Error", e.getMessage());
        }
    }

    /** The next page starts after the offset: a measurement's time ({@code <id>_<time>}) or a period's start. */
    private static Instant offset(String offset, boolean statistics, long period) throws ApiError {
        if (blank(offset)) return null;
        String time = offset.contains("_") ? offset.substring(offset.indexOf('_') + 1) : offset;
        Instant t = parse("offset", time);
        return statistics ? t.plusSeconds(period) : t.plus(1, ChronoUnit.MILLIS);
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    private static JsonNode valueMeta(JsonNode stored) {
        if (stored == null || stored.isNull() || stored.asText().isEmpty()) return JSON.createObjectNode();
        try {
            return JSON.readTree(stored.asText());
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    static Map<String, String> dimensions(String parameter) throws ApiError {
        Map<String, String> result = new TreeMap<>();
        if (blank(parameter)) return result;
        for (String pair : parameter.split(",")) {
            int colon = pair.indexOf(':');
            if (colon == 0 || pair.isBlank()) throw new ApiError(422, "Unprocessable Entity", "bad dimensions: " + parameter);
            if (colon < 0) result.put(pair, "");
            else result.put(pair.substring(0, colon), pair.substring(colon + 1));
        }
        return result;
    }

    private static List<String> statisticsNames(Map<String, String> query) throws ApiError {
        String value = query.get("statistics");
        if (blank(value)) throw new ApiError(422, "Unprocessable Entity", "statistics is required");
        List<String> result = new ArrayList<>();
        for (String s : value.split(",")) {
            String stat = s.trim().toLowerCase(java.util.Locale.ROOT);
            if (!STATISTICS.contains(stat)) throw new ApiError(422, "Unprocessable Entity", "unknown statistic: " + s);
            result.add(stat);
        }
        return result;
    }

    private static Instant time(Map<String, String> query, String key) throws ApiError {
        return parse(key, query.get(key));
    }

    private static Instant parse(String key, String value) throws ApiError {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e2) {
                throw new ApiError(422, "Unprocessable Entity", key + " is not an ISO 8601 time: " + value);
            }
        }
    }

    static int intParameter(Map<String, String> query, String key, int fallback) throws ApiError {
        String value = query.get(key);
        if (blank(value)) return fallback;
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ApiError(422, "Unprocessable Entity", key + " is not a number: " + value);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** An InfluxDB series key, {@code name,tag=value,...}, with line protocol's backslash escapes. */
    record SeriesKey(String name, Map<String, String> dimensions) {
        static SeriesKey parse(String key) {
            List<String> parts = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (int i = 0; i < key.length(); i++) {
                char c = key.charAt(i);
                if (c == '\\' && i + 1 < key.length()) current.append(c).append(key.charAt(++i));
                else if (c == ',') {
                    parts.add(current.toString());
                    current.setLength(0);
                } else current.append(c);
            }
            parts.add(current.toString());
            Map<String, String> dimensions = new TreeMap<>();
            for (int i = 1; i < parts.size(); i++) {
                String part = parts.get(i);
                int eq = unescapedEquals(part);
                String k = unescape(part.substring(0, eq));
                if (!k.startsWith("_")) dimensions.put(k, unescape(part.substring(eq + 1)));
            }
            return new SeriesKey(unescape(parts.get(0)), dimensions);
        }

        private static int unescapedEquals(String part) {
            for (int i = 0; i < part.length(); i++) {
                if (part.charAt(i) == '\\') i++;
                else if (part.charAt(i) == '=') return i;
            }
            return part.length();
        }

        private static String unescape(String s) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) out.append(s.charAt(++i));
                else out.append(c);
            }
            return out.toString();
        }
    }
}
