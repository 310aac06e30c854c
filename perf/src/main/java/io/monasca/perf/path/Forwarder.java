package io.monasca.perf.path;

import io.monasca.perf.source.MetricPoint;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * monasca-agent's forwarder: takes the daemon's points in, and every tick posts what it holds to
 * {@code <api>/v2.0/metrics} when that is at least {@link #POST_THRESHOLD} points or after {@link #IDLE_TICKS} ticks
 * without a post, as one JSON list with a Keystone v3 token. A failed POST (any 4xx, 5xx, no answer) puts the batch
 * in a queue of at most {@code queueLimit} batches (the oldest dropped, and counted); after a later successful POST
 * up to {@link #REPLAY} queued batches are sent again, newest first. A batch refused with 422 is therefore queued and
 * refused again until it is evicted, as in monasca-agent; it is counted as rejected once, with the API's reason,
 * which is also written to the log. Every POST runs on the forwarder's one thread.
 */
public final class Forwarder implements AutoCloseable {
    public static final int POST_THRESHOLD = 200;
    public static final int IDLE_TICKS = 3;
    public static final int REPLAY = 5;
    public static final int QUEUE_LIMIT = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REASONS = 20;

    /** A batch as posted; {@code rejected} once the API has answered 422 to it. */
    private static final class Batch {
        final List<MetricPoint> points;
        boolean rejected;

        Batch(List<MetricPoint> points) {
            this.points = points;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final KeystoneSession keystone;
    private final URI metricsUri;
    private final int queueLimit;
    private final PrintStream log;
    private final ScheduledExecutorService thread;
    private final Duration timeout = Duration.ofSeconds(10);

    private final List<MetricPoint> pending = new ArrayList<>();
    private final Deque<Batch> queue = new ArrayDeque<>();
    private int ticksWithoutPost;
    private long postedPoints;
    private long rejectedPoints;
    private long failedPosts;
    private long lostPoints;
    private final List<String> reasons = new ArrayList<>();

    /**
     * @param tick how often it decides whether to post (monasca-agent: 1 s); zero: never by itself, only when
     *             {@link #drain} is called (perf run posts at window edges only, see {@link MonascaPath})
     * @param log  where refusals and failures are written (the daemon's log)
     */
    public Forwarder(URI keystoneUrl, URI monascaUrl, String user, String password, String project, Duration tick,
                     int queueLimit, PrintStream log) {
        this.keystone = new KeystoneSession(http, keystoneUrl, user, password, project, timeout);
        String base = monascaUrl.toString().endsWith("/") ? monascaUrl.toString() : monascaUrl + "/";
        this.metricsUri = URI.create(base + "metrics");
        this.queueLimit = queueLimit;
        this.log = log;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "perf-forwarder");
            t.setDaemon(true);
            return t;
        });
        if (!tick.isZero()) thread.scheduleWithFixedDelay(this::tick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The daemon's intake: the points of one flush. */
    public synchronized void intake(List<MetricPoint> points) {
        pending.addAll(points);
    }

    private void tick() {
        List<MetricPoint> batch;
        synchronized (this) {
            ticksWithoutPost++;
            if (pending.isEmpty() || (pending.size() < POST_THRESHOLD && ticksWithoutPost < IDLE_TICKS)) return;
            batch = new ArrayList<>(pending);
            pending.clear();
            ticksWithoutPost = 0;
        }
        if (post(new Batch(batch))) replay(REPLAY);
    }

    /** Sends the batch; true when the API took it (204). Queues it on any failure. */
    private boolean post(Batch batch) {
        ArrayNode body = JSON.createArrayNode();
        batch.points.forEach(p -> body.add(p.toJson()));
        String failure;
        int status = 0;
        try {
            HttpRequest request = HttpRequest.newBuilder(metricsUri).timeout(timeout)
                    .header("Content-Type", "application/json").header("X-Auth-Token", keystone.token())
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            if (status / 100 == 2) {
                synchronized (this) {
                    postedPoints += batch.points.size();
                }
                return true;
            }
            if (status == 401) keystone.invalidate();
            failure = "HTTP " + status + " " + description(response.body());
        } catch (IOException e) {
            failure = "no answer: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        }
        synchronized (this) {
            failedPosts++;
            if (status == 422 && !batch.rejected) {
                batch.rejected = true;
                rejectedPoints += batch.points.size();
                String reason = failure;
                if (reasons.size() < MAX_REASONS) reasons.add(reason);
                log.println(Instant.now() + " forwarder: the Monasca API refused a batch of " + batch.points.size()
                        + " metrics (" + reason + "); queued, as monasca-agent does, and counted as rejected once");
            } else if (status != 422) {
                log.println(Instant.now() + " forwarder: POST " + metricsUri + " failed (" + failure + "): batch of "
                        + batch.points.size() + " metrics queued (" + (queue.size() + 1) + " batches queued)");
            }
            queue.addLast(batch);
            while (queue.size() > queueLimit) {
                Batch dropped = queue.removeFirst();
                lostPoints += dropped.points.size();
                log.println(Instant.now() + " forwarder: queue full (" + queueLimit + " batches): the oldest batch of "
                        + dropped.points.size() + " metrics is dropped (lost)");
            }
        }
        log.flush();
        return false;
    }

    /** Up to {@code count} queued batches, newest first; stops at the first that fails again. */
    private int replay(int count) {
        int sent = 0;
        for (int i = 0; i < count; i++) {
            Batch next;
            synchronized (this) {
                next = queue.pollLast();
            }
            if (next == null || !post(next)) break;
            sent++;
        }
        return sent;
    }

    /**
     * Posts what it holds now and replays the queue until it is empty, retrying for up to {@code timeout} while the
     * API fails (not monasca-agent's behaviour: perf's way to end a run with nothing left in flight). Batches the
     * API refused with 422 are left in the queue. True when nothing but refused batches is left.
     */
    public boolean drain(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                if (thread.submit(this::drainOnce).get(limit.toMillis() + 1000, TimeUnit.MILLISECONDS)) return true;
            } catch (ExecutionException | TimeoutException e) {
                return false;
            }
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(200);
        }
    }

    private boolean drainOnce() {
        List<MetricPoint> batch;
        synchronized (this) {
            batch = new ArrayList<>(pending);
            pending.clear();
            ticksWithoutPost = 0;
        }
        Batch fresh = new Batch(batch);
        if (!batch.isEmpty() && !post(fresh) && !fresh.rejected) return false;
        int refused = 0;
        while (true) {
            Batch next;
            synchronized (this) {
                if (queue.size() <= refused) return true;
                next = queue.pollLast();
                if (next.rejected) {
                    queue.addFirst(next);
                    refused++;
                    continue;
                }
            }
            if (!post(next)) return false;
        }
    }

    private static String description(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.hasNonNull("description")) return node.path("title").asText() + ": " + node.path("description").asText();
        } catch (IOException e) {
            // not JSON: the body as it is
        }
        return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }

    /** Points taken in and not posted yet (waiting for a tick or a drain). */
    public synchronized int pending() {
        return pending.size();
    }

    /** Points the API accepted (204). */
    public synchronized long posted() {
        return postedPoints;
    }

    /** Points in batches the API refused with 422, each batch counted once. */
    public synchronized long rejected() {
        return rejectedPoints;
    }

    /** Points dropped from the full queue. */
    public synchronized long lost() {
        return lostPoints;
    }

    public synchronized long failedPosts() {
        return failedPosts;
    }

    public synchronized int queuedBatches() {
        return queue.size();
    }

    /** The API's reasons for the first refused batches. */
    public synchronized List<String> reasons() {
        return new ArrayList<>(reasons);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
