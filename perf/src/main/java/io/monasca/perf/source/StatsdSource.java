package io.monasca.perf.source;

import io.monasca.testkit.statsd.DaemonAggregator;
import io.monasca.testkit.statsd.StatsdLine;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The statsd source: a UDP listener the agent is pointed at. Every line is parsed (both dimension formats) and
 * aggregated like the monasca-agent statsd daemon: per flush interval, counters summed and gauges reduced to the
 * last value, one series per name and dimensions. Received and persisted are the sums of the flushed
 * {@code monasca.persister.upsert.received} and {@code monasca.persister.flush.items} instance series (per-thread
 * series have other names and are never added). Each flush's points are also handed to {@code forward} (the
 * forwarder), stamped with the flush time in milliseconds as the daemon stamps them, with a {@code hostname}.
 *
 * <p>Parsing and aggregation are the test kit's ({@link StatsdLine}, {@link DaemonAggregator}); the socket loop is
 * this class's own because the kit's receiver keeps every datagram, which a long {@code perf watch} cannot afford.
 *
 * <p>Call times are taken from the lines themselves, before the daemon's reduction: a daemon flush that spans two
 * agent intervals keeps only the last gauge, so avg/min/max per round would lose intervals.
 */
public final class StatsdSource implements MetricSource {
    private final DatagramSocket socket;
    private final Thread receiver;
    private final ScheduledExecutorService flusher;
    private final Consumer<List<MetricPoint>> forward;
    private final DaemonAggregator aggregator = new DaemonAggregator(localHostname());
    private final Map<String, IntervalBuilder> pendingTimings = new LinkedHashMap<>();
    private final List<IntervalTiming> intervals = new ArrayList<>();
    /** Percentile gauges since the last {@link #takePercentiles()}, and since the start (for {@code perf watch}). */
    private PercentileValues percentiles = new PercentileValues();
    private final PercentileValues allPercentiles = new PercentileValues();
    private long received;
    private long persisted;
    /** The same counts as lines arrive, before any flush: what the agent has sent so far. */
    private long seenReceived;
    private long seenPersisted;
    /** A datagram perf sends to itself: not statsd (no colon), never counted. */
    private static final String SYNC_PREFIX = "perf-sync ";
    private long syncSent;
    private long syncSeen;
    private long lines;
    private long malformedLines;
    private long abortedDatagrams;
    private long roundStartNanos = System.nanoTime();

    /**
     * @param port          UDP port on 127.0.0.1 (0: any free port)
     * @param flushInterval how often the daemon-like aggregation flushes (the real daemon: 20 s); zero: only when
     *                      {@link #flush()} is called
     * @param forward       receives the points of every flush that has any; may be null
     */
    public StatsdSource(int port, Duration flushInterval, Consumer<List<MetricPoint>> forward) throws SocketException {
        this(InetAddress.getLoopbackAddress(), port, flushInterval, forward);
    }

    /** Like {@link #StatsdSource(int, Duration, Consumer)} on another address (0.0.0.0 for agents on other hosts). */
    public StatsdSource(InetAddress bind, int port, Duration flushInterval, Consumer<List<MetricPoint>> forward) throws SocketException {
        this.socket = new DatagramSocket(new InetSocketAddress(bind, port));
        this.socket.setReceiveBufferSize(4 * 1024 * 1024);
        this.forward = forward;
        this.receiver = new Thread(this::receive, "perf-statsd-listener");
        this.receiver.setDaemon(true);
        this.receiver.start();
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "perf-statsd-flush");
            t.setDaemon(true);
            return t;
        });
        if (!flushInterval.isZero()) { // zero: flushed by the caller only (perf run flushes at window edges)
            flusher.scheduleAtFixedRate(this::flush, flushInterval.toMillis(), flushInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public String name() {
        return "statsd";
    }

    private void receive() {
        byte[] buffer = new byte[65536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!socket.isClosed()) {
            try {
                socket.receive(packet);
            } catch (IOException e) {
                return;  // closed
            }
            String datagram = new String(packet.getData(), packet.getOffset(), packet.getLength(), StandardCharsets.UTF_8);
            if (datagram.startsWith(SYNC_PREFIX)) {
                synchronized (this) {
                    syncSeen = Math.max(syncSeen, Long.parseLong(datagram.substring(SYNC_PREFIX.length())));
                    notifyAll();
                }
                continue;
            }
            synchronized (this) {
                DaemonAggregator.DatagramResult result = aggregator.submitDatagram(packet.getData(), packet.getOffset(), packet.getLength());
                if (result.abortedBy() != null) abortedDatagrams++;
                for (String text : datagram.split("\n")) {
                    if (text.isBlank()) continue;
                    lines++;
                    try {
                        timing(StatsdLine.parse(text));
                    } catch (IllegalArgumentException e) {
                        malformedLines++;
                    }
                }
            }
        }
    }

    /** Flushes the daemon-like aggregation now (also done every flush interval). */
    public synchronized void flush() {
        List<DaemonAggregator.Measurement> flushed = aggregator.flush();
        if (flushed.isEmpty()) return;
        java.time.Instant now = java.time.Instant.now();
        double stamp = now.toEpochMilli() + (now.getNano() % 1_000_000) / 1e6; // time() * 1000, a float
        List<MetricPoint> points = new ArrayList<>(flushed.size());
        for (DaemonAggregator.Measurement m : flushed) {
            if (m.dimensions().containsKey("thread")) {
                // per-thread series: forwarded, never added to the instance totals
            } else if (m.name().equals(AgentMetrics.RECEIVED)) {
                received += Math.round(m.value());
            } else if (m.name().equals(AgentMetrics.PERSISTED)) {
                persisted += Math.round(m.value());
            }
            points.add(new MetricPoint(m.name(), m.dimensions(), m.value(), stamp));
        }
        if (forward != null) forward.accept(points);
    }

    /**
     * Waits until the counts seen reach {@code atLeast} (received and persisted both) or {@code timeout} has passed,
     * polling every 10 ms; returns whether they did.
     */
    public boolean awaitSeen(Reading atLeast, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Reading got = seen();
            if (got.received() >= atLeast.received() && got.persisted() >= atLeast.persisted()) return true;
            if (System.nanoTime() >= deadline) return false;
            Thread.sleep(10);
        }
    }

    /**
     * The instance series' received and persisted counts of every line taken in so far, flushed or not (never reset):
     * for waiting until the agent has sent a count without flushing the daemon.
     */
    public synchronized Reading seen() {
        return new Reading(seenReceived, seenPersisted);
    }

    @Override
    public synchronized Reading read() {
        return new Reading(received, persisted);
    }

    @Override
    public synchronized void reset() {
        flush();
        received = 0;
        persisted = 0;
        intervals.clear();
        pendingTimings.clear();
        roundStartNanos = System.nanoTime();
    }

    /**
     * Returns once every datagram that reached the listener's socket before this call has been taken in: sends a
     * marker datagram to the socket and waits until the listener reads it (datagrams on the loopback interface are
     * queued in the order they arrive). After an agent's detach, which sends its last interval before it returns,
     * this makes sure that interval is counted now and not later. False when the marker was not seen within
     * {@code timeout}.
     */
    public boolean sync(Duration timeout) throws IOException, InterruptedException {
        long marker;
        synchronized (this) {
            marker = ++syncSent;
        }
        byte[] bytes = (SYNC_PREFIX + marker).getBytes(StandardCharsets.UTF_8);
        try (DatagramSocket sender = new DatagramSocket()) {
            sender.send(new DatagramPacket(bytes, bytes.length, socket.getLocalAddress().isAnyLocalAddress()
                    ? InetAddress.getLoopbackAddress() : socket.getLocalAddress(), socket.getLocalPort()));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (syncSeen < marker) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    /** Lines received since the start (whatever they say, parsed or not; never reset). */
    public synchronized long lines() {
        return lines;
    }

    /** Lines that could not be parsed since the start (the daemon would have dropped the rest of their datagram). */
    public synchronized long malformedLines() {
        return malformedLines;
    }

    /** Datagrams the daemon would have cut short at a line it rejects (the rest of such a datagram is lost). */
    public synchronized long abortedDatagrams() {
        return abortedDatagrams;
    }

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** The percentile gauges received since the last call (or the start), per operation; then starts afresh. */
    public synchronized PercentileValues takePercentiles() {
        PercentileValues taken = percentiles;
        percentiles = new PercentileValues();
        return taken;
    }

    /** Every percentile gauge received since the start. */
    public synchronized PercentileValues allPercentiles() {
        return allPercentiles.copy();
    }

    public synchronized List<IntervalTiming> intervals() {
        return new ArrayList<>(intervals);
    }

    /** Per operation over the round: avg weighted by calls, min of the interval minimums, max of the maximums. */
    public synchronized Map<String, Timing> timings() {
        Map<String, Timing> result = new LinkedHashMap<>();
        for (String op : AgentMetrics.TIMED_OPERATIONS) {
            long calls = 0;
            double weighted = 0;
            double min = Double.NaN;
            double max = Double.NaN;
            for (IntervalTiming i : intervals) {
                if (!i.operation().equals(op) || i.completed() == 0) continue;
                calls += i.completed();
                weighted += i.completed() * i.avgMs();
                min = Double.isNaN(min) ? i.minMs() : Math.min(min, i.minMs());
                max = Double.isNaN(max) ? i.maxMs() : Math.max(max, i.maxMs());
            }
            result.put(op, new Timing(calls, calls == 0 ? Double.NaN : weighted / calls, min, max));
        }
        return result;
    }

    /**
     * The agent sends, per operation and interval, its counters (received, completed, failed, items) and then
     * time.avg, time.min and time.max; an interval's timing is complete when time.max arrives.
     */
    private void timing(StatsdLine line) {
        if (line.dimensions().containsKey("thread") || !line.name().startsWith(AgentMetrics.PREFIX)) return;
        if (line.name().equals(AgentMetrics.RECEIVED)) seenReceived += Math.round(line.value());
        if (line.name().equals(AgentMetrics.PERSISTED)) seenPersisted += Math.round(line.value());
        String rest = line.name().substring(AgentMetrics.PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot < 0) return;
        String op = rest.substring(0, dot);
        String stat = rest.substring(dot + 1);
        IntervalBuilder b = pendingTimings.computeIfAbsent(op, k -> new IntervalBuilder());
        if (stat.startsWith("time.p")) {
            percentiles.add(op, stat.substring("time.".length()), line.value());
            allPercentiles.add(op, stat.substring("time.".length()), line.value());
            return;
        }
        switch (stat) {
            case "completed" -> b.completed = Math.round(line.value());
            case "failed" -> b.failed = Math.round(line.value());
            case "time.avg" -> b.avg = line.value();
            case "time.min" -> b.min = line.value();
            case "time.max" -> {
                double seconds = (System.nanoTime() - roundStartNanos) / 1e9;
                intervals.add(new IntervalTiming(seconds, op, b.completed + b.failed, b.avg, b.min, line.value()));
                pendingTimings.remove(op);
            }
            default -> {
            }
        }
    }

    private static final class IntervalBuilder {
        long completed;
        long failed;
        double avg = Double.NaN;
        double min = Double.NaN;
    }

    @Override
    public void close() {
        flusher.shutdownNow();
        socket.close();
        try {
            receiver.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
