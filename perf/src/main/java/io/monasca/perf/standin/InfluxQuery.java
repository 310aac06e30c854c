package io.monasca.perf.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** InfluxQL over InfluxDB 1.x's HTTP API, timestamps as epoch milliseconds; any failure is an {@link InfluxException}. */
final class InfluxQuery {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final class InfluxException extends Exception {
        InfluxException(String message) {
            super(message);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private volatile String database;

    InfluxQuery(String url, String database) {
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.database = database;
    }

    /** From now on, queries read {@code database}. */
    void database(String database) {
        this.database = database;
    }

    /** The first statement's series (an empty array when nothing matched). */
    JsonNode series(String influxql) throws InfluxException {
        URI uri = URI.create(base + "/query?epoch=ms&db=" + encode(database) + "&q=" + encode(influxql));
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InfluxException("InfluxDB unreachable at " + base + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfluxException("interrupted");
        }
        if (response.statusCode() / 100 != 2) throw new InfluxException("InfluxDB answered HTTP " + response.statusCode() + ": " + response.body());
        try {
            JsonNode result = JSON.readTree(response.body()).path("results").path(0);
            if (result.has("error")) {
                String error = result.get("error").asText();
                if (error.startsWith("database not found")) return JSON.createArrayNode(); // nothing stored yet
                throw new InfluxException("InfluxDB: " + error + " (query: " + influxql + ")");
            }
            return result.path("series").isArray() ? result.path("series") : JSON.createArrayNode();
        } catch (IOException e) {
            throw new InfluxException("InfluxDB answered something that is not JSON");
        }
    }

    /** A string literal: single quotes, with quotes and backslashes escaped. */
    static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** An identifier: double quotes, with double quotes and backslashes escaped. */
    static String identifier(String name) {
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
