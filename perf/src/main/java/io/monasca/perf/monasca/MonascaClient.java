package io.monasca.perf.monasca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.monasca.perf.http.BoundedHttp;
import io.monasca.perf.net.NetworkErrors;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A small client of the Monasca REST API v2.0 with a Keystone v3 token: statistics and measurements, with
 * {@code merge_metrics} or {@code group_by}, following the {@code next} links of paged answers.
 */
public final class MonascaClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_PAGES = 1000;

    private final MonascaCredentials credentials;
    private final HttpClient http;
    private String token;
    private URI endpoint;

    public MonascaClient(MonascaCredentials credentials) {
        this.credentials = credentials;
        this.http = HttpClient.newBuilder().connectTimeout(credentials.timeout()).build();
    }

    /** How several matching series are combined: one merged series, or one element per group. */
    public enum Combine {
        MERGE, GROUP_BY_ALL;

        void addTo(Map<String, String> query) {
            if (this == MERGE) query.put("merge_metrics", "true");
            else query.put("group_by", "*");
        }
    }

    /** One element of an answer: a series (or merged/grouped set) with its rows. */
    public record Element(String name, Map<String, String> dimensions, List<String> columns, List<List<JsonNode>> rows) {
        /** Sum of a numeric column over all rows. */
        public double sum(String column) {
            int index = columns.indexOf(column);
            if (index < 0) return 0;
            double sum = 0;
            for (List<JsonNode> row : rows) sum += row.get(index).asDouble();
            return sum;
        }
    }

    /** Authenticates (once; again after a 401) and returns the monitoring endpoint in use. */
    public synchronized URI authenticate() throws MonascaApiException {
        String body = KeystonePassword.body(credentials.username(), credentials.password(), credentials.userDomainName(),
                credentials.projectName(), credentials.projectDomainName());

        URI tokens = keystoneBase().resolve("auth/tokens");
        HttpRequest request = HttpRequest.newBuilder(tokens).timeout(credentials.timeout())
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = send("Keystone POST " + tokens, request);
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw failure("Keystone POST " + tokens, response);
        }
        String subjectToken = response.headers().firstValue("X-Subject-Token").orElse(null);
        if (subjectToken == null) {
            throw new MonascaApiException("Keystone POST " + tokens + " answered without an X-Subject-Token header", response.statusCode(), null);
        }
        token = subjectToken;
        endpoint = credentials.monascaUrl() != null ? credentials.monascaUrl() : monitoringEndpoint(parse(tokens.toString(), response));
        return endpoint;
    }

    private URI keystoneBase() {
        String url = credentials.authUrl().toString();
        if (url.endsWith("/")) url = url.substring(0, url.length() - 1);
        if (!url.endsWith("/v3")) url = url + "/v3";
        return URI.create(url + "/");
    }


    private URI monitoringEndpoint(JsonNode tokenBody) throws MonascaApiException {
        for (JsonNode service : tokenBody.path("token").path("catalog")) {
            if (!"monitoring".equals(service.path("type").asText())) continue;
            for (JsonNode candidate : service.path("endpoints")) {
                String region = candidate.hasNonNull("region_id") ? candidate.path("region_id").asText() : candidate.path("region").asText();
                boolean regionMatches = credentials.region() == null || credentials.region().isBlank() || credentials.region().equals(region);
                if ("public".equals(candidate.path("interface").asText()) && regionMatches) {
                    return URI.create(candidate.path("url").asText());
                }
            }
        }
        throw new MonascaApiException("Keystone's service catalog has no public 'monitoring' endpoint"
                + (credentials.region() == null ? "" : " in region " + credentials.region())
                + "; give the Monasca URL with --monasca-url", 0, null);
    }

    /** {@code GET /v2.0/metrics/statistics}, all pages. */
    public List<Element> statistics(String name, Map<String, String> dimensions, Instant start, Instant end,
                                     List<String> statistics, long periodSeconds, Combine combine) throws MonascaApiException {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("name", name);
        if (!dimensions.isEmpty()) query.put("dimensions", dimensionsParameter(dimensions));
        query.put("statistics", String.join(",", statistics));
        query.put("start_time", start.toString());
        if (end != null) query.put("end_time", end.toString());
        query.put("period", Long.toString(periodSeconds));
        combine.addTo(query);
        return getAll("metrics/statistics", query, "statistics", statistics);
    }

    /** {@code GET /v2.0/metrics/measurements}, all pages. */
    public List<Element> measurements(String name, Map<String, String> dimensions, Instant start, Instant end,
                                      Combine combine) throws MonascaApiException {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("name", name);
        if (!dimensions.isEmpty()) query.put("dimensions", dimensionsParameter(dimensions));
        query.put("start_time", start.toString());
        if (end != null) query.put("end_time", end.toString());
        combine.addTo(query);
        return getAll("metrics/measurements", query, "measurements", List.of("value"));
    }

    static String dimensionsParameter(Map<String, String> dimensions) {
        return dimensions.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
    }

    /**
     * Every page of a list answer; the elements must have the shape of the API's: {@code columns}, and rows of as many
     * cells in {@code rowsField}, with a number in each of the {@code numericColumns}.
     */
    private List<Element> getAll(String path, Map<String, String> query, String rowsField, List<String> numericColumns)
            throws MonascaApiException {
        if (token == null) authenticate();
        String base = endpoint.toString().endsWith("/") ? endpoint.toString() : endpoint + "/";
        URI next = URI.create(base + path + "?" + encode(query));
        List<Element> elements = new ArrayList<>();
        for (int page = 0; next != null; page++) {
            if (page == MAX_PAGES) {
                throw new MonascaApiException("Monasca GET " + path + ": more than " + MAX_PAGES + " pages; narrow the time range", 0, null);
            }
            String call = "Monasca GET " + next;
            JsonNode body = get(next);
            if (!body.isObject()) {
                throw notTheApi(call, "not a JSON object", body);
            }
            if (!body.path("elements").isArray()) {
                throw notTheApi(call, "'elements' is not a list", body);
            }
            for (JsonNode element : body.path("elements")) {
                elements.add(toElement(call, elements.size(), element, rowsField, numericColumns, body));
            }
            next = nextLink(call, body, next);
        }
        return elements;
    }

    private MonascaApiException notTheApi(String call, String what, JsonNode body) {
        return new MonascaApiException(call + " answered HTTP 200 but is not a Monasca API answer: " + what
                + " (is the URL the Monasca API's, ending in /v2.0?): " + excerpt(body.toString()), 200, null);
    }

    private URI nextLink(String call, JsonNode body, URI current) throws MonascaApiException {
        for (JsonNode link : body.path("links")) {
            if ("next".equals(link.path("rel").asText()) && link.hasNonNull("href")) {
                URI next;
                try {
                    next = URI.create(link.path("href").asText());
                } catch (IllegalArgumentException e) {
                    throw notTheApi(call, "its 'next' link is not a URL", body);
                }
                return next.equals(current) ? null : next;
            }
        }
        return null;
    }

    private Element toElement(String call, int index, JsonNode element, String rowsField, List<String> numericColumns,
                              JsonNode body) throws MonascaApiException {
        String at = "element " + index;
        if (!element.isObject() || !element.path("columns").isArray()) {
            throw notTheApi(call, at + " has no 'columns' list", body);
        }
        if (!element.path(rowsField).isArray()) {
            throw notTheApi(call, at + " has no '" + rowsField + "' list", body);
        }
        Map<String, String> dimensions = new LinkedHashMap<>();
        element.path("dimensions").fields().forEachRemaining(e -> dimensions.put(e.getKey(), e.getValue().asText()));
        List<String> columns = new ArrayList<>();
        element.path("columns").forEach(c -> columns.add(c.asText()));
        for (String column : numericColumns) {
            if (!columns.contains(column)) {
                throw notTheApi(call, at + " has no column '" + column + "'", body);
            }
        }
        List<List<JsonNode>> rows = new ArrayList<>();
        for (JsonNode row : element.path(rowsField)) {
            if (!row.isArray() || row.size() != columns.size()) {
                throw notTheApi(call, at + " row " + rows.size() + " does not have the " + columns.size() + " columns", body);
            }
            for (String column : numericColumns) {
                if (!row.get(columns.indexOf(column)).isNumber()) {
                    throw notTheApi(call, at + " row " + rows.size() + ": '" + column + "' is not a number", body);
                }
            }
            List<JsonNode> cells = new ArrayList<>();
            row.forEach(cells::add);
            rows.add(cells);
        }
        return new Element(element.path("name").asText(), dimensions, columns, rows);
    }

    private JsonNode get(URI uri) throws MonascaApiException {
        HttpResponse<String> response = send("Monasca GET " + uri, authorized(uri));
        if (response.statusCode() == 401) {
            authenticate();  // the token may have expired: one new token, one retry
            response = send("Monasca GET " + uri, authorized(uri));
        }
        if (response.statusCode() != 200) {
            throw failure("Monasca GET " + uri, response);
        }
        return parse(uri.toString(), response);
    }

    private HttpRequest authorized(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(credentials.timeout())
                .header("X-Auth-Token", token).header("Accept", "application/json").GET().build();
    }

    private HttpResponse<String> send(String call, HttpRequest request) throws MonascaApiException {
        try {
            return BoundedHttp.send(http, request, credentials.timeout());
        } catch (HttpTimeoutException e) {
            throw new MonascaApiException(call + ": no answer within " + credentials.timeout().toMillis() + " ms (timeout)", 0, e);
        } catch (IOException e) {
            throw new MonascaApiException(call + ": cannot connect (" + NetworkErrors.connectFailure(e, request.uri()) + ")", 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MonascaApiException(call + ": interrupted", 0, e);
        }
    }

    private MonascaApiException failure(String call, HttpResponse<String> response) {
        int status = response.statusCode();
        String body = excerpt(response.body());
        return new MonascaApiException(call + " answered HTTP " + status + " (" + MonascaApiException.meaning(status) + ")"
                + (body.isEmpty() ? "" : ": " + body), status, null);
    }

    private JsonNode parse(String what, HttpResponse<String> response) throws MonascaApiException {
        try {
            JsonNode node = JSON.readTree(response.body());
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            // Jackson's message quotes the body: only a redacted excerpt of it is shown.
            throw new MonascaApiException(what + " did not return JSON: " + excerpt(response.body()), response.statusCode(), null);
        }
    }

    /**
     * At most 300 characters of what a server answered, for a message, with the password masked: a server that echoes
     * the request (a proxy's error page, a debug endpoint) must not make this tool print it.
     */
    private String excerpt(String body) {
        String text = body == null ? "" : body.strip();
        if (text.length() > 300) text = text.substring(0, 300) + "...";
        String password = credentials.password();
        return password.isEmpty() ? text : text.replace(password, "********");
    }

    private static String encode(Map<String, String> query) {
        return query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

}
