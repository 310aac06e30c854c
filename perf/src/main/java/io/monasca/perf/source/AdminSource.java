package io.monasca.perf.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.monasca.perf.http.BoundedHttp;
import io.monasca.perf.net.NetworkErrors;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Dropwizard admin API of one or many persisters ({@code GET http://host:port/metrics}), read as
 * monasca-persister/perf's persister_perf.sh did: the sum over all hosts of the {@code count} of every meter whose
 * name matches {@code MetricHandler\[metric-[0-9]*\].events-processed-meter} (received) and
 * {@code MetricHandler\[metric-[0-9]*\].flush-meter} (persisted). Works against the real Java persister.
 */
public final class AdminSource implements MetricSource {
    static final Pattern RECEIVED = Pattern.compile("MetricHandler\\[metric-[0-9]*\\]\\.events-processed-meter");
    static final Pattern PERSISTED = Pattern.compile("MetricHandler\\[metric-[0-9]*\\]\\.flush-meter");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> endpoints;
    private final HttpClient http;
    private final Duration timeout;

    public AdminSource(List<String> hosts, int port, Duration timeout) {
        if (hosts.isEmpty()) throw new IllegalArgumentException("admin source: no host given");
        this.endpoints = hosts.stream().map(host -> URI.create("http://" + host.trim() + ":" + port + "/metrics")).toList();
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String name() {
        return "admin";
    }

    public List<URI> endpoints() {
        return endpoints;
    }

    @Override
    public Reading read() throws SourceException {
        long received = 0;
        long persisted = 0;
        for (URI endpoint : endpoints) {
            JsonNode meters = fetch(endpoint).path("meters");
            received += sumCounts(meters, RECEIVED);
            persisted += sumCounts(meters, PERSISTED);
        }
        return new Reading(received, persisted);
    }

    static long sumCounts(JsonNode meters, Pattern namePattern) {
        long sum = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = meters.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> meter = it.next();
            if (namePattern.matcher(meter.getKey()).find()) {
                sum += meter.getValue().path("count").asLong();
            }
        }
        return sum;
    }

    private JsonNode fetch(URI endpoint) throws SourceException {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout).GET().build();
        HttpResponse<String> response;
        try {
            response = BoundedHttp.send(http, request, timeout);
        } catch (HttpTimeoutException e) {
            throw new SourceException("admin source: " + endpoint + " did not answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new SourceException("admin source: cannot reach " + endpoint + " (" + NetworkErrors.connectFailure(e, endpoint) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("admin source: interrupted while reading " + endpoint, e);
        }
        if (response.statusCode() != 200) {
            throw new SourceException("admin source: " + endpoint + " answered HTTP " + response.statusCode());
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            if (!body.has("meters")) {
                throw new SourceException("admin source: " + endpoint + " is not a Dropwizard metrics endpoint (no \"meters\")");
            }
            return body;
        } catch (IOException e) {
            throw new SourceException("admin source: " + endpoint + " did not return JSON: " + e.getMessage(), e);
        }
    }
}
