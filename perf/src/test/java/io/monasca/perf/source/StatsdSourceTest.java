package io.monasca.perf.source;

import io.monasca.perf.support.DebianPython;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The statsd source over a real UDP socket, fed by the reference client (monasca-statsd) and by raw datagrams. */
class StatsdSourceTest {
    private static final String DIMS = "{'service': 'monitoring', 'component': 'monasca-persister'}";

    @Test
    void countsWhatTheMonascaStatsdClientSends() throws Exception {
        Assumptions.assumeTrue(DebianPython.has("monascastatsd"), "Debian package python3-monasca-statsd is not installed");
        List<List<MetricPoint>> flushes = new CopyOnWriteArrayList<>();
        List<MetricPoint> forwarded = new CopyOnWriteArrayList<>();
        long before = System.currentTimeMillis();
        try (StatsdSource source = new StatsdSource(0, Duration.ofMillis(200), points -> {
            flushes.add(points);
            forwarded.addAll(points);
        })) {
            String script = String.join("\n",
                    "import monascastatsd as m",
                    "c = m.Connection(host='127.0.0.1', port=" + source.port() + ")",
                    "cl = m.Client(connection=c, dimensions={'service': 'monitoring', 'component': 'monasca-persister'})",
                    "cl.get_counter('monasca.persister.upsert.received').increment(700)",
                    "cl.get_counter('monasca.persister.upsert.received').increment(300)",
                    "cl.get_counter('monasca.persister.flush.items').increment(1000)",
                    "cl.get_counter('monasca.persister.flush.items').increment(5, dimensions={'thread': 'metric-1'})");
            DebianPython.Result result = DebianPython.run(script, 30);
            assertEquals(0, result.exitCode(), result.output());
            awaitReading(source, new Reading(1000, 1000));
            assertTrue(forwarded.stream().anyMatch(m -> m.dimensions().containsKey("thread")),
                    "the per-thread series is forwarded but not added to the instance totals");
            for (List<MetricPoint> flush : flushes) {
                assertTrue(!flush.isEmpty(), "an idle interval sends nothing, not an empty batch");
                double stamp = flush.get(0).timestampMillis();
                assertTrue(stamp >= before && stamp <= System.currentTimeMillis(), "epoch milliseconds: " + stamp);
                for (MetricPoint p : flush) {
                    assertEquals(stamp, p.timestampMillis(), "the daemon stamps a flush's points with the flush time");
                    assertTrue(p.dimensions().containsKey("hostname"), "the daemon adds hostname: " + p);
                    assertEquals("null", p.toJson().path("value_meta").toString());
                }
            }
        }
    }

    @Test
    void withoutAFlushIntervalItFlushesOnlyWhenAskedAndStillSeesWhatArrived() throws Exception {
        List<List<MetricPoint>> flushes = new CopyOnWriteArrayList<>();
        try (StatsdSource source = new StatsdSource(0, Duration.ZERO, flushes::add);
             DatagramSocket sender = new DatagramSocket()) {
            send(sender, source.port(), String.join("\n",
                    "monasca.persister.upsert.received:40|c|#" + DIMS,
                    "monasca.persister.flush.items:40|c|#" + DIMS,
                    "monasca.persister.upsert.received:3|c|#{'thread': 'metric-0'}"));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (source.seen().received() < 40 && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(new Reading(40, 40), source.seen(), "counted as the lines arrive, per-thread series apart");
            Thread.sleep(300);
            assertEquals(Reading.ZERO, source.read(), "nothing flushed by itself: perf flushes at window edges");
            assertTrue(flushes.isEmpty());
            source.flush();
            assertEquals(new Reading(40, 40), source.read());
            assertEquals(1, flushes.size());
            assertEquals(3, flushes.get(0).size(), "one point per series sampled");
        }
    }

    @Test
    void pairsIntervalTimesWithTheirCallCounts() throws Exception {
        try (StatsdSource source = new StatsdSource(0, Duration.ofMillis(100), null);
             DatagramSocket sender = new DatagramSocket()) {
            send(sender, source.port(), String.join("\n",
                    "monasca.persister.flush.received:2|c|#" + DIMS,
                    "monasca.persister.flush.completed:2|c|#" + DIMS,
                    "monasca.persister.flush.failed:0|c|#" + DIMS,
                    "monasca.persister.flush.items:20000|c|#" + DIMS,
                    "monasca.persister.flush.time.avg:10.0|g|#" + DIMS,
                    "monasca.persister.flush.time.min:8.0|g|#" + DIMS,
                    "monasca.persister.flush.time.max:12.0|g|#" + DIMS));
            send(sender, source.port(), String.join("\n",
                    "monasca.persister.flush.completed:6|c|#" + DIMS,
                    "monasca.persister.flush.time.avg:2.0|g|#" + DIMS,
                    "monasca.persister.flush.time.min:1.0|g|#" + DIMS,
                    "monasca.persister.flush.time.max:30.0|g|#" + DIMS,
                    "this line is broken"));
            send(sender, source.port(), String.join("\n",
                    "monasca.persister.flush.time.p50:9.5|g|#" + DIMS,
                    "monasca.persister.flush.time.p99_9:11.75|g|#" + DIMS,
                    "monasca.persister.flush.thread.time.p50:1.0|g|#{'service': 'monitoring', 'thread': 't1'}",
                    "monasca.persister.flush.time.p50:1.5|g|#" + DIMS,
                    "monasca.persister.flush.time.p50:2.5|g|#" + DIMS,
                    "monasca.persister.flush.received:0|c|#" + DIMS));
            awaitReading(source, new Reading(0, 20000));
            assertTrue(source.sync(Duration.ofSeconds(5)));
            List<io.monasca.perf.source.PercentileValues.Summary> percentiles = source.takePercentiles().summaries();
            assertEquals(List.of(new io.monasca.perf.source.PercentileValues.Summary("flush", "p50", 3, 2.5, 9.5),
                    new io.monasca.perf.source.PercentileValues.Summary("flush", "p99_9", 1, 11.75, 11.75)), percentiles,
                    "instance series only, ordered by percentile; per-interval values summed up by median and largest");
            assertTrue(source.takePercentiles().isEmpty(), "taken");
            assertEquals(List.of("flush: p50 2.5000 p99_9 11.7500 ms (median of 3 intervals; largest: p50 9.5000 p99_9 11.7500)"),
                    source.allPercentiles().lines());
            List<IntervalTiming> intervals = source.intervals();
            assertEquals(2, intervals.size());
            Timing flush = source.timings().get("flush");
            assertEquals(8, flush.calls());
            assertEquals((2 * 10.0 + 6 * 2.0) / 8, flush.avgMs(), 1e-9);
            assertEquals(1.0, flush.minMs());
            assertEquals(30.0, flush.maxMs());
            assertEquals(1, source.malformedLines());
            assertEquals(1, source.abortedDatagrams(), "the daemon would cut that datagram at the broken line");
            source.reset();
            assertEquals(Reading.ZERO, source.read());
            assertTrue(source.intervals().isEmpty());
        }
    }

    @Test
    void syncReturnsOnceEveryDatagramSentBeforeItIsCounted() throws Exception {
        try (StatsdSource source = new StatsdSource(0, Duration.ofHours(1), null);
             DatagramSocket sender = new DatagramSocket()) {
            for (int i = 0; i < 200; i++) {
                send(sender, source.port(), "monasca.persister.upsert.received:5|c|#" + DIMS + "\nmonasca.persister.flush.items:5|c|#" + DIMS);
            }
            assertTrue(source.sync(Duration.ofSeconds(5)));
            assertEquals(400, source.lines(), "the 200 datagrams' lines, not the marker");
            source.flush();
            assertEquals(new Reading(1000, 1000), source.read(), "no wait needed: all counted by the time sync returned");
            assertEquals(0, source.malformedLines(), "the marker is no statsd line");
        }
    }

    private static void send(DatagramSocket socket, int port, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
    }

    private static void awaitReading(StatsdSource source, Reading expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!source.read().equals(expected) && System.nanoTime() < deadline) Thread.sleep(50);
        assertEquals(expected, source.read());
    }
}
