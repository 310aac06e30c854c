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
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A STAND-IN for Keystone v3 and the Monasca API v2.0, not a real Monasca, that works like one on the production path:
 * {@code POST /v3/auth/tokens} (password, project scope, roles, service catalog); {@code POST /v2.0/metrics} with
 * monasca-api's validation and answers (400, 401, 422 for the whole batch with the reason, 503 when Kafka fails,
 * 204), writing one Kafka message per metric in monasca-api's envelope ({@link MetricsPost}); and
 * {@code GET /v2.0/metrics}, {@code /metrics/names}, {@code /metrics/measurements} and {@code /metrics/statistics}
 * answered from InfluxDB with monasca-api's queries ({@link InfluxReads}). It keeps no measurement itself: what it
 * answers is what a persister stored.
 *
 * <p>Roles: posting needs {@value #AGENT_ROLE} or {@value #READ_ROLE} (else 401, as monasca-api); reading needs
 * {@value #READ_ROLE} or {@value #READ_ONLY_ROLE} (else 403). The tenant of a posted metric and of a read is the
 * token's project id.
 */
public final class StandInMonascaApi implements AutoCloseable {
    public static final String READ_ROLE = "monasca-user";
    public static final String READ_ONLY_ROLE = "monasca-read-only-user";
    public static final String AGENT_ROLE = "monasca-agent";
    public static final String TOPIC = "metrics";
    private static final ObjectMapper JSON = new ObjectMapper();

    private record User(String name, String password, String project, Set<String> roles) {
        String projectId() {
            return project + "-id";
        }

        boolean canRead() {
            return roles.contains(READ_ROLE) || roles.contains(READ_ONLY_ROLE);
        }

        boolean canPost() {
            return roles.contains(AGENT_ROLE) || roles.contains(READ_ROLE);
        }
    }

    private final HttpServer server;
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final Map<String, User> tokens = new ConcurrentHashMap<>();
    private final String region;
    private final InfluxQuery influx;
    private final InfluxReads reads;
    private final MetricsPost posts;
    private volatile int pageLimit = InfluxReads.MAX_LIMIT;

    /**
     * @param influxUrl        the InfluxDB the GETs read ({@code database} in it)
     * @param bootstrapServers the Kafka broker the POSTs write to (topic {@value #TOPIC}); null: POST answers 503
     */
    public StandInMonascaApi(String host, int port, String region, String influxUrl, String database,
                             String bootstrapServers) throws IOException {
        this.region = region;
        this.influx = new InfluxQuery(influxUrl, database);
        this.reads = new InfluxReads(influx, region);
        this.posts = bootstrapServers == null ? null : new MetricsPost(bootstrapServers, TOPIC, region, Duration.ofSeconds(3));
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "standin-monasca-api");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** Adds a user; {@code canRead} gives it the monasca-user role (read and post) in {@code project}. */
    public StandInMonascaApi user(String name, String password, String project, boolean canRead) {
        return user(name, password, project, canRead ? READ_ROLE : "member");
    }

    /** Adds a user with these roles in {@code project}. */
    public StandInMonascaApi user(String name, String password, String project, String... roles) {
        users.put(name, new User(name, password, project, Set.of(roles)));
        return this;
    }

    /** The tenant id a user of {@code project} posts and reads as. */
    public static String tenantOf(String project) {
        return project + "-id";
    }

    public String region() {
        return region;
    }

    /** Caps the rows per page below the real API's 10000, so that paging is exercised with little data. */
    public void pageLimit(int limit) {
        pageLimit = limit;
    }

    /**
     * From now on, POSTs write to {@code topic} and GETs read {@code database}: perf points the API at the topic and
     * database of the persister under test, which change with each round of {@code --mode restart}.
     */
    public void deliverTo(String topic, String database) {
        if (posts != null) posts.topic(topic);
        influx.database(database);
    }

    /** Metrics written to Kafka, one message each. */
    public long written() {
        return posts == null ? 0 : posts.written();
    }

    /** Metrics in batches answered 422. */
    public long rejectedMetrics() {
        return posts == null ? 0 : posts.rejectedMetrics();
    }

    /** POSTs answered 503 because Kafka failed. */
    public long kafkaFailures() {
        return posts == null ? 0 : posts.kafkaFailures();
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
        if (posts != null) posts.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange);
            } catch (InfluxReads.ApiError e) {
                error(exchange, e.status, e.title, e.getMessage());
            } catch (RuntimeException e) {
                error(exchange, 500, "Internal Server Error", String.valueOf(e));
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException, InfluxReads.ApiError {
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
        String route = path.replaceAll("/+$", "");
        if (method.equals("POST") && route.equals("/v2.0/metrics")) {
            post(exchange, user);
            return;
        }
        if (!user.canRead()) {
            error(exchange, 403, "Forbidden", "user " + user.name() + " has neither role " + READ_ROLE + " nor " + READ_ONLY_ROLE);
            return;
        }
        if (!method.equals("GET")) {
            error(exchange, 405, "Method Not Allowed", method + " is not served by the stand-in");
            return;
        }
        Map<String, String> query = query(exchange.getRequestURI());
        String tenant = user.projectId();
        switch (route) {
            case "/v2.0/metrics" -> page(exchange, query, reads.metrics(tenant, query));
            case "/v2.0/metrics/names" -> page(exchange, query, reads.names(tenant, query));
            case "/v2.0/metrics/measurements" -> series(exchange, reads.series(tenant, query, false, pageLimit));
            case "/v2.0/metrics/statistics" -> series(exchange, reads.series(tenant, query, true, pageLimit));
            default -> error(exchange, 404, "Not Found", "no such resource: " + path);
        }
    }

    private void post(HttpExchange exchange, User user) throws IOException {
        if (!user.canPost()) {
            error(exchange, 401, "Unauthorized", "user " + user.name() + " has neither role " + AGENT_ROLE + " nor " + READ_ROLE);
            return;
        }
        if (posts == null) {
            error(exchange, 503, "Service Unavailable", "this stand-in has no Kafka to write to");
            return;
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        MetricsPost.Answer answer = posts.post(exchange.getRequestHeaders().getFirst("Content-Type"), body, user.projectId());
        if (answer.status() == 204) {
            exchange.sendResponseHeaders(204, -1);
        } else {
            error(exchange, answer.status(), answer.title(), answer.description());
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
        p.put("id", user.projectId());
        p.put("name", user.project());
        p.putObject("domain").put("id", "default").put("name", "Default");
        ArrayNode roles = t.putArray("roles");
        for (String role : new java.util.TreeSet<>(user.roles())) roles.addObject().put("id", role + "-id").put("name", role);
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

    private void page(HttpExchange exchange, Map<String, String> query, List<ObjectNode> elements) throws IOException, InfluxReads.ApiError {
        int offset = InfluxReads.intParameter(query, "offset", 0);
        int limit = Math.min(InfluxReads.intParameter(query, "limit", pageLimit), pageLimit);
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

    private void series(HttpExchange exchange, InfluxReads.Page page) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode links = root.putArray("links");
        links.addObject().put("rel", "self").put("href", self(exchange));
        if (page.nextOffset() != null) {
            links.addObject().put("rel", "next").put("href", withParameter(exchange, "offset", java.net.URLEncoder.encode(page.nextOffset(), StandardCharsets.UTF_8)));
        }
        ArrayNode out = root.putArray("elements");
        page.elements().forEach(out::add);
        send(exchange, 200, root);
    }

    // ---- HTTP helpers ----

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
