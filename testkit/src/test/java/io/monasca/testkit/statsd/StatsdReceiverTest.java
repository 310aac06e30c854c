package io.monasca.testkit.statsd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatsdReceiverTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private StatsdReceiver receiver;
    private DatagramSocket sender;

    @BeforeEach
    void start() throws Exception {
        receiver = new StatsdReceiver();
        sender = new DatagramSocket();
    }

    @AfterEach
    void stop() {
        sender.close();
        receiver.close();
    }

    private void send(String payload) throws Exception {
        send(payload.getBytes(StandardCharsets.UTF_8));
    }

    private void send(byte[] payload) throws Exception {
        sender.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), receiver.port()));
    }

    @Test
    void receivesSingleAndMultiLineDatagrams() throws Exception {
        send("upsert.received:3|c|#{'service': 'monitoring', 'thread': 'metric-1'}");
        send("upsert.received:2|c|#{'service': 'monitoring', 'thread': 'metric-2'}\n"
                + "upsert.completed:2|c|#{'service': 'monitoring', 'thread': 'metric-2'}\n"
                + "upsert.time:0.5|g|#{'service': 'monitoring', 'thread': 'metric-2'}");

        List<StatsdLine> lines = receiver.awaitLineCount(4, WAIT);

        assertEquals(List.of("upsert.received", "upsert.received", "upsert.completed", "upsert.time"),
                lines.stream().map(StatsdLine::name).toList());
        assertEquals(2, receiver.datagrams().size());
        assertEquals(List.of(1, 3), receiver.linesPerDatagram().stream().map(List::size).toList());
        assertEquals(5.0, receiver.sum("upsert.received", Map.of("service", "monitoring")));
        assertEquals(2.0, receiver.sum("upsert.received", Map.of("thread", "metric-2")));
        assertEquals(1, receiver.count("upsert.completed", Map.of()));
        assertEquals(0.0, receiver.sum("upsert.received", Map.of("thread", "metric-9")));
        assertEquals(List.of(), receiver.parseErrors());
        assertEquals(List.of(), receiver.violations());
    }

    @Test
    void keepsRawBytesAndReportsBadLines() throws Exception {
        byte[] payload = "ok:1|c\nbroken\nnan:nan|g".getBytes(StandardCharsets.UTF_8);
        send(payload);

        receiver.awaitDatagrams(d -> d.size() == 1, WAIT);

        assertArrayEquals(payload, receiver.datagrams().get(0).bytes());
        assertEquals(2, receiver.lines().size()); // "nan" parses; the rules reject it
        assertEquals(1, receiver.parseErrors().size());
        assertTrue(receiver.parseErrors().get(0).startsWith("datagram 1: line 2: "), receiver.parseErrors().toString());
        List<String> violations = receiver.violations();
        assertTrue(violations.get(0).startsWith("datagram 1 ABORTS_DATAGRAM: line 2: "), violations.toString());
    }

    @Test
    void keepsDatagramsLargerThanTheDaemonReads() throws Exception {
        String line = "big:1|c|#{'k': '" + "v".repeat(200) + "'}\n";
        send(line.repeat(60)); // about 13 KiB

        receiver.awaitLineCount(60, WAIT);

        assertTrue(receiver.datagrams().get(0).bytes().length > MonascaAgentRules.MAX_DATAGRAM_BYTES);
        assertTrue(receiver.violations().get(0).contains("the daemon reads only the first 8192"));
    }

    @Test
    void timesOutWithWhatArrived() throws Exception {
        send("only:1|c");
        receiver.awaitLineCount(1, WAIT);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> receiver.awaitLines(lines -> lines.size() >= 2, Duration.ofMillis(200)));

        assertTrue(e.getMessage().contains("only:1|c"), e.getMessage());
        assertTrue(e.getMessage().contains("1 datagram(s)"), e.getMessage());
    }

    @Test
    void clearForgetsEverything() throws Exception {
        send("a:1|c");
        receiver.awaitLineCount(1, WAIT);
        receiver.clear();
        assertEquals(List.of(), receiver.lines());

        send("b:1|c");
        assertEquals("b", receiver.awaitLineCount(1, WAIT).get(0).name());
    }

    @Test
    void severalSendersAtOnce() throws Exception {
        int threads = 4;
        int perThread = 40; // a burst that fits even a 208 KiB default receive buffer
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            String thread = "metric-" + t;
            workers[t] = new Thread(() -> {
                try (DatagramSocket socket = new DatagramSocket()) {
                    byte[] payload = ("n:1|c|#{'thread': '" + thread + "'}").getBytes(StandardCharsets.UTF_8);
                    for (int i = 0; i < perThread; i++) {
                        socket.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(),
                                receiver.port()));
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        receiver.awaitLineCount(threads * perThread, WAIT);
        assertEquals(perThread, receiver.sum("n", Map.of("thread", "metric-3")));
    }

    @Test
    void closeFreesThePort() throws Exception {
        int port = receiver.port();
        receiver.close();
        try (DatagramSocket again = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort());
        }
    }
}
