package io.monasca.sample.persister.repository;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

/** Writes batches to an InfluxDB 1.x server over HTTP ({@code POST /write}, line protocol, ms precision). */
public final class InfluxDbRepository implements MetricRepository {

    /** The Java persister's name for this timer, kept so its tools read ours unchanged. */
    public static final String FLUSH_TIMER = "monasca.persister.repository.influxdb.InfluxV9MetricRepo.flush-timer";

    private final HttpClient http;
    private final URI writeUri;
    private final String authorization;
    private final Timer flushTimer;
    private final String description;

    /**
     * @param retentionPolicy empty for the database's default
     * @param user            empty when the server has no authentication
     */
    public InfluxDbRepository(String url, String database, String retentionPolicy, String user, String password,
                              MetricRegistry registry) {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        String query = "precision=ms&db=" + encode(database)
                + (retentionPolicy.isEmpty() ? "" : "&rp=" + encode(retentionPolicy));
        this.writeUri = URI.create(base + "/write?" + query);
        this.authorization = user.isEmpty() ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.flushTimer = registry.timer(FLUSH_TIMER);
        this.description = "InfluxDB " + base + " database " + database
                + (retentionPolicy.isEmpty() ? "" : " retention policy " + retentionPolicy);
    }

    @Override
    public int write(List<Point> batch) throws RepositoryException {
        if (batch.isEmpty()) {
            return 0;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(writeUri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(LineProtocol.lines(batch), StandardCharsets.UTF_8));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        Timer.Context timing = flushTimer.time();
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RepositoryException("InfluxDB unreachable at " + writeUri.getHost() + ":" + writeUri.getPort()
                    + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RepositoryException("interrupted while writing to InfluxDB", e);
        }
        if (response.statusCode() != 204 && response.statusCode() != 200) {
            throw new RepositoryException("InfluxDB refused a batch of " + batch.size() + " points: HTTP "
                    + response.statusCode() + " " + response.body().trim());
        }
        timing.stop();
        return batch.size();
    }

    @Override
    public String describe() {
        return description;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
