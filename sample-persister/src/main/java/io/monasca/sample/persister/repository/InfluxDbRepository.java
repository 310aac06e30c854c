package io.monasca.sample.persister.repository;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

/**
 * Writes batches to an InfluxDB 1.x server over HTTP ({@code POST /write}, line protocol, ms precision).
 * Points InfluxDB refuses for good (HTTP 400 "partial write", other client errors) are logged, counted in
 * {@value #REJECTED_COUNTER} and not retried; a batch too large for the server (HTTP 413) is split in halves.
 * Server errors, unreachable servers and errors no batch can cure (401, 403, 404 database not found, 408, 429)
 * throw, and the caller retries.
 */
public final class InfluxDbRepository implements MetricRepository {

    private static final Logger LOG = LoggerFactory.getLogger(InfluxDbRepository.class);
    private static final Pattern DROPPED = Pattern.compile("dropped=(\\d+)");

    /** The Java persister's name for this timer, kept so its tools read ours unchanged. */
    public static final String FLUSH_TIMER = "monasca.persister.repository.influxdb.InfluxV9MetricRepo.flush-timer";
    /** Points InfluxDB refused for good (dropped, not retried). */
    public static final String REJECTED_COUNTER = "monasca.persister.repository.influxdb.rejected-points-counter";

    private final HttpClient http;
    private final URI writeUri;
    private final URI pingUri;
    private final String authorization;
    private final Timer flushTimer;
    private final Counter rejected;
    private final String description;
    private final Duration timeout;

    /** With the default timeout of 30 s. */
    public InfluxDbRepository(String url, String database, String retentionPolicy, String user, String password,
                              MetricRegistry registry) {
        this(url, database, retentionPolicy, user, password, registry, Duration.ofSeconds(30));
    }

    /**
     * @param retentionPolicy empty for the database's default
     * @param user            empty when the server has no authentication
     * @param timeout         longest wait for a write request's complete answer
     */
    public InfluxDbRepository(String url, String database, String retentionPolicy, String user, String password,
                              MetricRegistry registry, Duration timeout) {
        this.timeout = timeout;
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        String query = "precision=ms&db=" + encode(database)
                + (retentionPolicy.isEmpty() ? "" : "&rp=" + encode(retentionPolicy));
        this.writeUri = URI.create(base + "/write?" + query);
        this.pingUri = URI.create(base + "/ping");
        this.authorization = user.isEmpty() ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout.compareTo(Duration.ofSeconds(5)) < 0 ? timeout : Duration.ofSeconds(5)).build();
        this.flushTimer = registry.timer(FLUSH_TIMER);
        this.rejected = registry.counter(REJECTED_COUNTER);
        this.description = "InfluxDB " + withoutUserInfo(writeUri) + " database " + database
                + (retentionPolicy.isEmpty() ? "" : " retention policy " + retentionPolicy);
    }

    /** @return the number of points stored; points InfluxDB refused for good are counted and left out */
    @Override
    public int write(List<Point> batch) throws RepositoryException {
        if (batch.isEmpty()) {
            return 0;
        }
        HttpResponse<String> response = send(batch);
        int status = response.statusCode();
        if (status == 204 || status == 200) {
            return batch.size();
        }
        String body = response.body().trim();
        if (status == 413) {
            if (batch.size() > 1) {
                LOG.info("InfluxDB refused a batch of {} points as too large (HTTP 413); writing it in halves",
                        batch.size());
                int half = batch.size() / 2;
                return write(batch.subList(0, half)) + write(batch.subList(half, batch.size()));
            }
            return reject(batch, 1, status, body);
        }
        if (status == 400) {
            if (body.contains("partial write")) {
                // InfluxDB stored the other points of the batch.
                Matcher dropped = DROPPED.matcher(body);
                int count = dropped.find() ? (int) Math.min(Long.parseLong(dropped.group(1)), batch.size()) : 0;
                return reject(batch, count, status, body);
            }
            return reject(batch, batch.size(), status, body);
        }
        if (status >= 400 && status < 500 && status != 401 && status != 403 && status != 404 && status != 408
                && status != 429) {
            return reject(batch, batch.size(), status, body);
        }
        throw new RepositoryException("InfluxDB refused a batch of " + batch.size() + " points: HTTP " + status + " "
                + body);
    }

    /** Logs and counts points refused for good; @return the number of points of the batch stored. */
    private int reject(List<Point> batch, int count, int status, String body) {
        rejected.inc(count);
        LOG.error("InfluxDB refused {} of {} points for good, they are dropped (not retried): HTTP {} {}",
                count == 0 ? "some" : count, batch.size(), status, body);
        return batch.size() - count;
    }

    private HttpResponse<String> send(List<Point> batch) throws RepositoryException {
        HttpRequest.Builder request = HttpRequest.newBuilder(writeUri)
                .timeout(timeout)
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(LineProtocol.lines(batch), StandardCharsets.UTF_8));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        Timer.Context timing = flushTimer.time();
        HttpResponse<String> response;
        String server = writeUri.getHost() + ":" + writeUri.getPort();
        try {
            response = exchange(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), timeout);
        } catch (HttpTimeoutException e) {
            throw new RepositoryException("InfluxDB at " + server + " gave no complete answer within "
                    + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new RepositoryException("InfluxDB unreachable at " + server + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RepositoryException("interrupted while writing to InfluxDB", e);
        }
        timing.stop();
        return response;
    }

    /**
     * One request with a deadline for the whole answer. The JDK client's request timeout ends only the wait for the
     * status line and headers: a server that stops in the middle of its body would hold the thread for ever.
     *
     * @throws HttpTimeoutException when the complete answer has not arrived by the deadline
     */
    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> body, Duration deadline)
            throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<T>> exchange = http.sendAsync(request, body);
        try {
            return exchange.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new HttpTimeoutException("no complete answer within " + deadline.toMillis() + " ms");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    /** {@code GET /ping}: InfluxDB answers 204 at once when it is up (no authentication needed). */
    @Override
    public void check() throws RepositoryException {
        HttpResponse<Void> response;
        Duration deadline = Duration.ofSeconds(2);
        try {
            response = exchange(HttpRequest.newBuilder(pingUri).timeout(deadline).build(),
                    HttpResponse.BodyHandlers.discarding(), deadline);
        } catch (IOException e) {
            throw new RepositoryException("InfluxDB unreachable at " + pingUri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RepositoryException("interrupted while pinging InfluxDB", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new RepositoryException("InfluxDB answered HTTP " + response.statusCode() + " to " + pingUri);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    /** scheme://host:port[/path] of a URI: credentials written into the URL are never logged. */
    private static String withoutUserInfo(URI uri) {
        String path = uri.getRawPath().substring(0, uri.getRawPath().length() - "/write".length());
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
