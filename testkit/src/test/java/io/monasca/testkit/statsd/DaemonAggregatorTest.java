package io.monasca.testkit.statsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.monasca.testkit.statsd.DaemonAggregator.DatagramResult;
import io.monasca.testkit.statsd.DaemonAggregator.Kind;
import io.monasca.testkit.statsd.DaemonAggregator.Measurement;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DaemonAggregatorTest {

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final DaemonAggregator aggregator = new DaemonAggregator("host-a", clock::get);

    private void submit(String line) {
        assertTrue(aggregator.submit(StatsdLine.parse(line)), line);
    }

    @Test
    void countersAreSummedWithTheirSampleRateAndTruncated() {
        submit("upsert.received:3|c|#{'thread': 'metric-1'}");
        submit("upsert.received:2|c|#{'thread': 'metric-1'}");
        submit("upsert.received:1|c|@0.4|#{'thread': 'metric-1'}"); // counts 2.5

        List<Measurement> flushed = aggregator.flush();

        assertEquals(1, flushed.size());
        assertEquals(7.0, flushed.get(0).value()); // 7.5 truncated like Python int()
        assertEquals(Kind.COUNTER, flushed.get(0).kind());
        assertEquals(Map.of("thread", "metric-1", "hostname", "host-a"), flushed.get(0).dimensions());
    }

    @Test
    void negativeCounterSumsTruncateTowardZero() {
        submit("a:-1|c|@0.4");
        assertEquals(-2.0, aggregator.flush().get(0).value());
    }

    @Test
    void gaugesTimersAndHistogramsKeepTheLastValue() {
        for (String type : List.of("g", "ms", "h")) {
            submit("t." + type + ":0.5|" + type);
            submit("t." + type + ":0.25|" + type);
        }

        List<Measurement> flushed = aggregator.flush();

        assertEquals(3, flushed.size());
        for (Measurement m : flushed) {
            assertEquals(0.25, m.value(), m.name());
            assertEquals(Kind.GAUGE, m.kind(), m.name());
        }
    }

    @Test
    void dimensionOrderMakesSeparateSeries() {
        submit("a:1|c|#{'service': 'monitoring', 'thread': 'metric-1'}");
        submit("a:1|c|#{'thread': 'metric-1', 'service': 'monitoring'}");

        List<Measurement> flushed = aggregator.flush();

        assertEquals(2, flushed.size());
        assertEquals(List.of("service", "thread", "hostname"), List.copyOf(flushed.get(0).dimensions().keySet()));
        assertEquals(List.of("thread", "service", "hostname"), List.copyOf(flushed.get(1).dimensions().keySet()));
    }

    @Test
    void aSendersHostnameIsKeptAndNoneIsAddedWhenNotConfigured() {
        submit("a:1|g|#{'hostname': 'mine'}");
        assertEquals(Map.of("hostname", "mine"), aggregator.flush().get(0).dimensions());

        DaemonAggregator plain = new DaemonAggregator(null);
        plain.submit(StatsdLine.parse("a:1|g"));
        assertEquals(Map.of(), plain.flush().get(0).dimensions());
    }

    @Test
    void flushStartsANewIntervalAndIdleSeriesSendNothing() {
        submit("c:5|c");
        submit("g:5|g");
        assertEquals(2, aggregator.flush().size());

        assertEquals(List.of(), aggregator.flush());

        submit("c:1|c");
        List<Measurement> next = aggregator.flush();
        assertEquals(1, next.size());
        assertEquals(1.0, next.get(0).value());
        assertEquals(2, aggregator.seriesCount());
    }

    @Test
    void aSeriesKeepsTheKindOfItsFirstLine() {
        submit("x:2|c");
        submit("x:3|g"); // the daemon adds it to the existing counter
        Measurement m = aggregator.flush().get(0);
        assertEquals(Kind.COUNTER, m.kind());
        assertEquals(5.0, m.value());
    }

    @Test
    void ratesAreChangePerSecondBetweenSamples() {
        submit("bytes:100|r");
        assertEquals(List.of(), aggregator.flush()); // one sample: no rate yet
        clock.addAndGet(2_000);
        submit("bytes:300|r");
        Measurement m = aggregator.flush().get(0);
        assertEquals(Kind.RATE, m.kind());
        assertEquals(100.0, m.value());
        assertEquals(clock.get(), m.timestampMillis());
    }

    @Test
    void rejectsWhatTheDaemonRejectsAndSkipsWhatItDrops() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> aggregator.submit(StatsdLine.parse("a b:1|c")));
        assertTrue(e.getMessage().contains("metric name 'a b'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> aggregator.submit(StatsdLine.parse("a:nan|g")));
        assertThrows(IllegalArgumentException.class, () -> aggregator.submit(StatsdLine.parse("a:1|c|@0")));
        assertFalse(aggregator.submit(StatsdLine.parse("users:alice|s")));
        assertEquals(List.of(), aggregator.flush());
    }

    @Test
    void dogstatsdLinesAreAggregatedWithTheirIntendedTags() {
        // the perf tool wants the tags as meant; MonascaAgentRules reports what the real daemon would mangle
        submit("a:1|c|#service:monitoring");
        assertEquals(Map.of("service", "monitoring", "hostname", "host-a"), aggregator.flush().get(0).dimensions());
    }

    @Test
    void aDatagramStopsAtTheFirstLineTheDaemonCannotTake() {
        byte[] datagram = "a:1|c\n\n_e{1,1}:t|x\nweird:1|s\nb:1|c|#{'k': 1}\nc:1|c\nd:1|c\n"
                .getBytes(StandardCharsets.UTF_8);

        DatagramResult result = aggregator.submitDatagram(datagram, 0, datagram.length);

        assertEquals(1, result.accepted());
        assertEquals(2, result.dropped());
        assertEquals(2, result.lost());
        assertTrue(result.abortedBy().contains("not a str"), result.abortedBy());
        assertEquals(List.of("a"), aggregator.flush().stream().map(Measurement::name).toList());
    }

    @Test
    void aDatagramWithBadUtf8IsCutThere() {
        byte[] datagram = {'a', ':', '1', '|', 'c', '\n', (byte) 0xff, ':', '1', '|', 'c', '\n', 'b', ':', '1', '|',
            'c'};
        DatagramResult result = aggregator.submitDatagram(datagram, 0, datagram.length);
        assertEquals(new DatagramResult(1, 0, 1, "a line is not valid UTF-8"), result);
    }

    @Test
    void serviceChecksBecomeGaugesOfTheirStatus() {
        byte[] datagram = "_sc|disk.ok|2|#mount:/data".getBytes(StandardCharsets.UTF_8);
        assertEquals(1, aggregator.submitDatagram(datagram, 0, datagram.length).accepted());
        Measurement m = aggregator.flush().get(0);
        assertEquals("disk.ok", m.name());
        assertEquals(2.0, m.value());
        assertEquals(Map.of("mount", "/data", "hostname", "host-a"), m.dimensions());
    }

    @Test
    void aWholeGoodDatagram() {
        byte[] datagram = "a:1|c\nb:2|g".getBytes(StandardCharsets.UTF_8);
        DatagramResult result = aggregator.submitDatagram(datagram, 0, datagram.length);
        assertEquals(2, result.accepted());
        assertNull(result.abortedBy());
    }

    @Test
    void oneWriterAndOneFlusherLoseNoCount() throws Exception {
        DaemonAggregator shared = new DaemonAggregator("h");
        StatsdLine line = StatsdLine.parse("n:1|c|#{'thread': 'metric-1'}");
        int total = 200_000;
        double[] flushedSum = new double[1];
        Thread flusher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                shared.flush().forEach(m -> flushedSum[0] += m.value());
            }
        });
        flusher.start();
        for (int i = 0; i < total; i++) {
            shared.submit(line);
        }
        flusher.interrupt();
        flusher.join();
        shared.flush().forEach(m -> flushedSum[0] += m.value());
        assertEquals(total, flushedSum[0]);
    }
}
