package io.monasca.perf.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A STAND-IN for Keystone v3 and the Monasca API v2.0, not a real Monasca: an in-process HTTP server that answers
 * the documented shapes of {@code POST /v3/auth/tokens} and {@code GET /v2.0/metrics},
 * {@code /v2.0/metrics/names}, {@code /v2.0/metrics/measurements} and {@code /v2.0/metrics/statistics}
 * (merge_metrics, group_by, dimensions, start/end time, period, paging with offset/limit and a next link), from
 * measurements added with {@link #add}. It exists so that the monasca source can be exercised without a Monasca
 * installation; the real python-monascaclient reads it in the tests.
 *
 * <p>Users: one with role {@code monasca-user} (reads) and one without (gets 403). Errors: 401 without a valid
 * token, 404 for unknown paths, 409 when several series match without merge_metrics or group_by, 422 for a
 * missing start_time or name.
 */
public final class StandInMonascaApi implements AutoCloseable {
    public static final String READ_ROLE = "monasca-user";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEFAULT_LIMIT = 10000;

    private record User(String name, String password, String project, boolean canRead) {
    }

    private final HttpServer server;
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final Map<String, User> tokens = new ConcurrentHashMap<>();
    private final List<StoredMeasurement> measurements = new CopyOnWriteArrayList<>();
    private final String region;
    private volatile int pageLimit = DEFAULT_LIMIT;

    public StandInMonascaApi(String host, int port, String region) throws IOException {
        this.region = region;
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "standin-monasca-api");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** Adds a user; {@code canRead} gives it the monasca-user role in {@code project}. */
    public StandInMonascaApi user(String name, String password, String project, boolean canRead) {
        users.put(name, new User(name, password, project, canRead));
        return this;
    }

    /** Caps the rows per page below the real API's 10000, so that paging is exercised with little data. */
    public void pageLimit(int limit) {
        pageLimit = limit;
    }

    public void add(StoredMeasurement measurement) {
        measurements.add(measurement);
    }

    public int size() {
        return measurements.size();
    }

    public URI keystoneUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v3");
    }

    public URI monascaUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v2.0");
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange);
            } catch (BadRequest e) {
                error(exchange, e.status, e.title, e.getMessage());
            } catch (RuntimeException e) {
                error(exchange, 500, "Internal Server Error", String.valueOf(e));
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException, BadRequest {
        {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/v3/auth/tokens") && method.equals("POST")) {
                issueToken(exchange);
                return;
            }
            if (path.equals("/v3") || path.equals("/v3/")) {
                send(exchange, 200, versionDocument());
                return;
            }
            if (!path.startsWith("/v2.0")) {
                error(exchange, 404, "Not Found", "no such resource: " + path);
                return;
            }
            User user = tokens.get(String.valueOf(exchange.getRequestHeaders().getFirst("X-Auth-Token")));
            if (user == null) {
                error(exchange, 401, "Unauthorized", "missing or invalid X-Auth-Token");
                return;
            }
            if (!user.canRead()) {
                error(exchange, 403, "Forbidden", "user " + user.name() + " has no role " + READ_ROLE);
                return;
            }
            if (!method.equals("GET")) {
                error(exchange, 405, "Method Not Allowed", method + " is not served by the stand-in");
                return;
            }
            Map<String, String> query = query(exchange.getRequestURI());
            switch (path.replaceAll("/+$", "")) {
                case "/v2.0/metrics" -> metrics(exchange, query);
                case "/v2.0/metrics/names" -> names(exchange, query);
                case "/v2.0/metrics/measurements" -> series(exchange, query, false);
                case "/v2.0/metrics/statistics" -> series(exchange, query, true);
                default -> error(exchange, 404, "Not Found", "no such resource: " + path);
            }
        }
    }

    private static final class BadRequest extends Exception {
        final int status;
        final String title;

        BadRequest(int status, String title, String message) {
            super(message);
            this.status = status;
            this.title = title;
        }
    }

    private void issueToken(HttpExchange exchange) throws IOException {
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = JSON.readTree(in);
        } catch (IOException e) {
            error(exchange, 400, "Bad Request", "body is not JSON");
            return;
        }
        JsonNode userNode = body.path("auth").path("identity").path("password").path("user");
        User user = users.get(userNode.path("name").asText());
        String project = body.path("auth").path("scope").path("project").path("name").asText();
        if (user == null || !user.password().equals(userNode.path("password").asText()) || !user.project().equals(project)) {
            error(exchange, 401, "Unauthorized", "The request you have made requires authentication.");
            return;
        }
        String token = UUID.randomUUID().toString().replace("-", "");
        tokens.put(token, user);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ObjectNode root = JSON.createObjectNode();
        ObjectNode t = root.putObject("token");
        t.putArray("methods").add("password");
        t.put("issued_at", now.toString());
        t.put("expires_at", now.plus(1, ChronoUnit.HOURS).toString());
        ObjectNode u = t.putObject("user");
        u.put("id", user.name() + "-id");
        u.put("name", user.name());
        u.putObject("domain").put("id", "default").put("name", "Default");
        ObjectNode p = t.putObject("project");
        p.put("id", user.project() + "-id");
        p.put("name", user.project());
        p.putObject("domain").put("id", "default").put("name", "Default");
        ArrayNode roles = t.putArray("roles");
        roles.addObject().put("id", "member-id").put("name", "member");
        if (user.canRead()) roles.addObject().put("id", "monasca-user-id").put("name", READ_ROLE);
        ObjectNode monitoring = t.putArray("catalog").addObject();
        monitoring.put("type", "monitoring");
        monitoring.put("name", "monasca");
        monitoring.put("id", "monasca-service-id");
        ArrayNode endpoints = monitoring.putArray("endpoints");
        for (String iface : List.of("public", "internal", "admin")) {
            endpoints.addObject().put("id", iface + "-id").put("interface", iface).put("region", region)
                    .put("region_id", region).put("url", monascaUrl().toString());
        }
        exchange.getResponseHeaders().add("X-Subject-Token", token);
        send(exchange, 201, root);
    }

    private ObjectNode versionDocument() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode version = root.putObject("version");
        version.put("id", "v3.14");
        version.put("status", "stable");
        version.put("updated", "2020-04-07T00:00:00Z");
        version.putArray("links").addObject().put("rel", "self").put("href", keystoneUrl() + "/");
        version.putArray("media-types").addObject().put("base", "application/json")
                .put("type", "application/vnd.openstack.identity-v3+json");
        return root;
    }

    // ---- metrics ----

    private List<StoredMeasurement> matching(Map<String, String> query, boolean nameRequired) throws BadRequest {
        String name = query.get("name");
        if (nameRequired && (name == null || name.isBlank())) throw new BadRequest(422, "Unprocessable Entity", "name is required");
        Map<String, String> dimensions = dimensions(query.get("dimensions"));
        Instant start = time(query, "start_time");
        Instant end = time(query, "end_time");
        List<StoredMeasurement> result = new ArrayList<>();
        for (StoredMeasurement m : measurements) {
            if (name != null && !name.equals(m.name())) continue;
            if (start != null && m.timestampMillis() < start.toEpochMilli()) continue;
            if (end != null && m.timestampMillis() >= end.toEpochMilli()) continue;
            if (!matches(m.dimensions(), dimensions)) continue;
            result.add(m);
        }
        return result;
    }

    private static boolean matches(Map<String, String> actual, Map<String, String> wanted) {
        for (Map.Entry<String, String> w : wanted.entrySet()) {
            String value = actual.get(w.getKey());
            if (value == null) return false;
            if (!w.getValue().isEmpty() && !Set.of(w.getValue().split("\\|")).contains(value)) return false;
        }
        return true;
    }

    private static Map<String, String> dimensions(String parameter) throws BadRequest {
        Map<String, String> result = new LinkedHashMap<>();
        if (parameter == null || parameter.isBlank()) return result;
        for (String pair : parameter.split(",")) {
            int colon = pair.indexOf(':');
            if (colon == 0) throw new BadRequest(422, "Unprocessable Entity", "bad dimensions: " + parameter);
            if (colon < 0) result.put(pair, "");
            else result.put(pair.substring(0, colon), pair.substring(colon + 1));
        }
        return result;
    }

    private static Instant time(Map<String, String> query, String key) throws BadRequest {
        String value = query.get(key);
        if (value == null) return null;
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadRequest(422, "Unprocessable Entity", key + " is not an ISO 8601 time: " + value);
        }
    }

    private void metrics(HttpExchange exchange, Map<String, String> query) throws IOException, BadRequest {
        Map<String, StoredMeasurement> series = new TreeMap<>();
        for (StoredMeasurement m : matching(query, false)) series.putIfAbsent(seriesId(m.name(), m.dimensions()), m);
        List<ObjectNode> elements = new ArrayList<>();
        for (Map.Entry<String, StoredMeasurement> s : series.entrySet()) {
            ObjectNode e = JSON.createObjectNode();
            e.put("id", Integer.toHexString(s.getKey().hashCode()));
            e.put("name", s.getValue().name());
            e.set("dimensions", JSON.valueToTree(new TreeMap<>(s.getValue().dimensions())));
            elements.add(e);
        }
        page(exchange, query, elements);
    }

    private void names(HttpExchange exchange, Map<String, String> query) throws IOException, BadRequest {
        TreeMap<String, Boolean> names = new TreeMap<>();
        for (StoredMeasurement m : matching(query, false)) names.put(m.name(), true);
        List<ObjectNode> elements = new ArrayList<>();
        for (String name : names.keySet()) elements.add(JSON.createObjectNode().put("name", name));
        page(exchange, query, elements);
    }

    private void page(HttpExchange exchange, Map<String, String> query, List<ObjectNode> elements) throws IOException, BadRequest {
        int offset = intParameter(query, "offset", 0);
        int limit = Math.min(intParameter(query, "limit", pageLimit), pageLimit);
        ObjectNode root = JSON.createObjectNode();
        ArrayNode links = root.putArray("links");
        links.addObject().put("rel", "self").put("href", self(exchange));
        if (offset + limit < elements.size()) {
            links.addObject().put("rel", "next").put("href", withParameter(exchange, "offset", Integer.toString(offset + limit)));
        }
        ArrayNode out = root.putArray("elements");
        for (int i = offset; i < Math.min(elements.size(), offset + limit); i++) out.add(elements.get(i));
        send(exchange, 200, root);
    }

    /**
     * Measurements or statistics. Rows of all elements are paged together: {@code offset} counts rows already
     * served, so a page holds at most {@code limit} rows and the next link carries the new offset.
     */
    private void series(HttpExchange exchange, Map<String, String> query, boolean statistics) throws IOException, BadRequest {
        if (!query.containsKey("start_time")) throw new BadRequest(422, "Unprocessable Entity", "start_time is required");
        List<StoredMeasurement> found = matching(query, true);
        boolean merge = Boolean.parseBoolean(query.getOrDefault("merge_metrics", "false"));
        String groupBy = query.get("group_by");
        Map<String, List<StoredMeasurement>> groups = new TreeMap<>();
        for (StoredMeasurement m : found) {
            groups.computeIfAbsent(groupKey(m, merge, groupBy), k -> new ArrayList<>()).add(m);
        }
        if (!merge && groupBy == null && groups.size() > 1) {
            throw new BadRequest(409, "Conflict", "Multiple metrics exist that match the name and dimensions: "
                    + "use merge_metrics=true or group_by");
        }
        List<String> stats = statistics ? statisticsNames(query) : List.of();
        long period = statistics ? intParameter(query, "period", 300) : 0;
        if (statistics && period <= 0) throw new BadRequest(422, "Unprocessable Entity", "period must be positive");
        Instant start = time(query, "start_time");

        List<ObjectNode> elements = new ArrayList<>();
        List<List<ArrayNode>> rowsPerElement = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, List<StoredMeasurement>> group : groups.entrySet()) {
            List<StoredMeasurement> members = new ArrayList<>(group.getValue());
            members.sort((a, b) -> Long.compare(a.timestampMillis(), b.timestampMillis()));
            ObjectNode element = JSON.createObjectNode();
            element.put("id", Integer.toString(index++));
            element.put("name", query.get("name"));
            element.set("dimensions", JSON.valueToTree(groupDimensions(members, merge, groupBy)));
            ArrayNode columns = element.putArray("columns");
            columns.add("timestamp");
            List<ArrayNode> rows = new ArrayList<>();
            if (statistics) {
                stats.forEach(columns::add);
                rows.addAll(statisticsRows(members, stats, start.toEpochMilli(), period * 1000));
            } else {
                columns.add("value");
                columns.add("value_meta");
                for (StoredMeasurement m : members) {
                    ArrayNode row = JSON.createArrayNode();
                    row.add(Instant.ofEpochMilli(m.timestampMillis()).toString());
                    row.add(m.value());
                    row.addObject();
                    rows.add(row);
                }
            }
            elements.add(element);
            rowsPerElement.add(rows);
        }

        int offset = intParameter(query, "offset", 0);
        int limit = Math.min(intParameter(query, "limit", pageLimit), pageLimit);
        ObjectNode root = JSON.createObjectNode();
        ArrayNode links = root.putArray("links");
        links.addObject().put("rel", "self").put("href", self(exchange));
        ArrayNode out = root.putArray("elements");
        int skipped = 0;
        int served = 0;
        int total = 0;
        for (int e = 0; e < elements.size(); e++) {
            List<ArrayNode> rows = rowsPerElement.get(e);
            total += rows.size();
            ArrayNode pageRows = JSON.createArrayNode();
            for (ArrayNode row : rows) {
                if (skipped < offset) {
                    skipped++;
                } else if (served < limit) {
                    pageRows.add(row);
                    served++;
                }
            }
            if (!pageRows.isEmpty() || (rows.isEmpty() && offset == 0)) {
                elements.get(e).set(statistics ? "statistics" : "measurements", pageRows);
                out.add(elements.get(e));
            }
        }
        if (offset + served < total) {
            links.addObject().put("rel", "next").put("href", withParameter(exchange, "offset", Integer.toString(offset + served)));
        }
        send(exchange, 200, root);
    }

    private static List<ArrayNode> statisticsRows(List<StoredMeasurement> members, List<String> stats, long startMillis, long periodMillis) {
        TreeMap<Long, List<Double>> buckets = new TreeMap<>();
        for (StoredMeasurement m : members) {
            long bucket = startMillis + Math.floorDiv(m.timestampMillis() - startMillis, periodMillis) * periodMillis;
            buckets.computeIfAbsent(bucket, k -> new ArrayList<>()).add(m.value());
        }
        List<ArrayNode> rows = new ArrayList<>();
        for (Map.Entry<Long, List<Double>> bucket : buckets.entrySet()) {
            List<Double> values = bucket.getValue();
            ArrayNode row = JSON.createArrayNode();
            row.add(Instant.ofEpochMilli(bucket.getKey()).truncatedTo(ChronoUnit.SECONDS).toString());
            double sum = values.stream().mapToDouble(Double::doubleValue).sum();
            for (String stat : stats) {
                switch (stat) {
                    case "avg" -> row.add(sum / values.size());
                    case "min" -> row.add(values.stream().mapToDouble(Double::doubleValue).min().orElse(0));
                    case "max" -> row.add(values.stream().mapToDouble(Double::doubleValue).max().orElse(0));
                    case "count" -> row.add(values.size());
                    default -> row.add(sum);
                }
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<String> statisticsNames(Map<String, String> query) throws BadRequest {
        String value = query.get("statistics");
        if (value == null || value.isBlank()) throw new BadRequest(422, "Unprocessable Entity", "statistics is required");
        List<String> result = new ArrayList<>();
        for (String s : value.split(",")) {
            String stat = s.trim().toLowerCase();
            if (!Set.of("avg", "min", "max", "count", "sum").contains(stat)) {
                throw new BadRequest(422, "Unprocessable Entity", "unknown statistic: " + s);
            }
            result.add(stat);
        }
        return result;
    }

    private static String groupKey(StoredMeasurement m, boolean merge, String groupBy) {
        if (merge) return "";
        if (groupBy == null || groupBy.equals("*")) return new TreeMap<>(m.dimensions()).toString();
        Map<String, String> key = new TreeMap<>();
        for (String k : groupBy.split(",")) key.put(k, m.dimensions().get(k));
        return key.toString();
    }

    private static Map<String, String> groupDimensions(List<StoredMeasurement> members, boolean merge, String groupBy) {
        Map<String, String> first = new TreeMap<>(members.get(0).dimensions());
        if (merge) {
            // dimensions shared by every merged series
            first.entrySet().removeIf(e -> members.stream().anyMatch(m -> !e.getValue().equals(m.dimensions().get(e.getKey()))));
            return first;
        }
        if (groupBy == null || groupBy.equals("*")) return first;
        Map<String, String> grouped = new TreeMap<>();
        for (String k : groupBy.split(",")) if (first.containsKey(k)) grouped.put(k, first.get(k));
        return grouped;
    }

    private static String seriesId(String name, Map<String, String> dimensions) {
        return name + new TreeMap<>(dimensions);
    }

    // ---- HTTP helpers ----

    private static int intParameter(Map<String, String> query, String key, int fallback) throws BadRequest {
        String value = query.get(key);
        if (value == null || value.isBlank()) return fallback;
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new BadRequest(422, "Unprocessable Entity", key + " is not a number: " + value);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> result = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) return result;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            result.put(key, value);
        }
        return result;
    }

    private String self(HttpExchange exchange) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + exchange.getRequestURI();
    }

    private String withParameter(HttpExchange exchange, String key, String value) {
        URI uri = exchange.getRequestURI();
        StringBuilder query = new StringBuilder();
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty() || pair.startsWith(key + "=")) continue;
                if (query.length() > 0) query.append('&');
                query.append(pair);
            }
        }
        if (query.length() > 0) query.append('&');
        query.append(key).append('=').append(value);
        return "http://127.0.0.1:" + server.getAddress().getPort() + uri.getRawPath() + "?" + query;
    }

    private static void error(HttpExchange exchange, int status, String title, String description) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("title", title);
        body.put("description", description);
        body.put("code", status);
        send(exchange, status, body);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
