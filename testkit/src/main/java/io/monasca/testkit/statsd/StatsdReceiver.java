package io.monasca.testkit.statsd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A real statsd endpoint for tests: a UDP socket on 127.0.0.1 (ephemeral port) and a daemon thread that keeps
 * every datagram received, its raw bytes and the lines parsed from it. Lines that do not parse are kept as
 * {@link #parseErrors()}; {@link #violations()} applies {@link MonascaAgentRules} to every datagram as sent.
 * Thread-safe; close it to free the port.
 */
public final class StatsdReceiver implements AutoCloseable {

    /** The largest UDP payload over IPv4: datagrams are kept whole, even past the daemon's 8 KiB. */
    private static final int MAX_UDP_PAYLOAD = 65_507;

    /**
     * One datagram as received.
     *
     * @param bytes      the payload exactly as sent
     * @param receivedAt when it arrived
     * @param lines      the lines that parsed, in order
     * @param errors     one message per line that did not parse
     */
    public record Datagram(byte[] bytes, Instant receivedAt, List<StatsdLine> lines, List<String> errors) {
        public Datagram {
            bytes = bytes.clone();
            lines = List.copyOf(lines);
            errors = List.copyOf(errors);
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /** The payload decoded as UTF-8 (bad bytes replaced). */
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private final DatagramSocket socket;
    private final Thread thread;
    private final List<Datagram> datagrams = new ArrayList<>();

    /** Binds 127.0.0.1 on a free port and starts receiving. */
    public StatsdReceiver() {
        this(0);
    }

    /** Binds 127.0.0.1 on {@code port} (0: a free one) and starts receiving; a fixed port stands for a restarted daemon. */
    public StatsdReceiver(int port) {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            socket.setReceiveBufferSize(4 * 1024 * 1024); // bursts from a load test must not overflow
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a UDP socket on 127.0.0.1", e);
        }
        thread = new Thread(this::receiveLoop, "statsd-receiver-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** The UDP port to send to, on 127.0.0.1. */
    public int port() {
        return socket.getLocalPort();
    }

    /** Every datagram received so far, in arrival order. */
    public synchronized List<Datagram> datagrams() {
        return List.copyOf(datagrams);
    }

    /** Every line parsed so far, in arrival order, all datagrams together. */
    public synchronized List<StatsdLine> lines() {
        List<StatsdLine> all = new ArrayList<>();
        for (Datagram d : datagrams) {
            all.addAll(d.lines());
        }
        return all;
    }

    /** The lines grouped per datagram, in arrival order. */
    public synchronized List<List<StatsdLine>> linesPerDatagram() {
        List<List<StatsdLine>> grouped = new ArrayList<>();
        for (Datagram d : datagrams) {
            grouped.add(d.lines());
        }
        return grouped;
    }

    /** One message per received line that did not parse, naming the datagram and line. */
    public synchronized List<String> parseErrors() {
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < datagrams.size(); i++) {
            for (String error : datagrams.get(i).errors()) {
                errors.add("datagram " + (i + 1) + ": " + error);
            }
        }
        return errors;
    }

    /**
     * Everything the monasca-agent statsd daemon would abort on or drop in what was received
     * ({@link MonascaAgentRules#violations(byte[])} of each datagram), each naming the datagram.
     */
    public synchronized List<String> violations() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < datagrams.size(); i++) {
            for (String v : MonascaAgentRules.violations(datagrams.get(i).bytes)) {
                all.add("datagram " + (i + 1) + " " + v);
            }
        }
        return all;
    }

    /**
     * Waits until {@code condition} holds for the lines received so far and returns them.
     *
     * @throws IllegalStateException on timeout, listing what was received
     */
    public List<StatsdLine> awaitLines(Predicate<List<StatsdLine>> condition, Duration timeout) {
        return await(this::lines, condition, timeout, "statsd lines");
    }

    /** Like {@link #awaitLines} for the datagrams received so far. */
    public List<Datagram> awaitDatagrams(Predicate<List<Datagram>> condition, Duration timeout) {
        return await(this::datagrams, condition, timeout, "statsd datagrams");
    }

    private synchronized <T> T await(Supplier<T> snapshot, Predicate<T> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T current = snapshot.get();
            if (condition.test(current)) {
                return current;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("expected " + what + " did not arrive within " + timeout
                        + " on port " + port() + "; received " + datagrams.size() + " datagram(s):\n" + describe());
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    /** Waits until at least {@code count} lines have arrived and returns all of them. */
    public List<StatsdLine> awaitLineCount(int count, Duration timeout) {
        return awaitLines(lines -> lines.size() >= count, timeout);
    }

    /** Forgets everything received so far. */
    public synchronized void clear() {
        datagrams.clear();
    }

    /** The lines named {@code name} whose dimensions include every entry of {@code dimensionsFilter}. */
    public List<StatsdLine> lines(String name, Map<String, String> dimensionsFilter) {
        List<StatsdLine> matching = new ArrayList<>();
        for (StatsdLine line : lines()) {
            if (line.name().equals(name) && line.hasDimensions(dimensionsFilter)) {
                matching.add(line);
            }
        }
        return matching;
    }

    /**
     * The sum of the matching lines' values, each divided by its sample rate as the daemon counts counters
     * (all sent lines with rate 1 just add up).
     */
    public double sum(String name, Map<String, String> dimensionsFilter) {
        double sum = 0;
        for (StatsdLine line : lines(name, dimensionsFilter)) {
            sum += line.value() / line.sampleRate();
        }
        return sum;
    }

    /** How many matching lines arrived. */
    public int count(String name, Map<String, String> dimensionsFilter) {
        return lines(name, dimensionsFilter).size();
    }

    /** Stops receiving and frees the port. */
    @Override
    public void close() {
        socket.close();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void receiveLoop() {
        byte[] buffer = new byte[MAX_UDP_PAYLOAD];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!socket.isClosed()) {
            try {
                packet.setLength(buffer.length);
                socket.receive(packet);
            } catch (IOException e) {
                return; // closed
            }
            Datagram datagram = parse(Arrays.copyOf(buffer, packet.getLength()));
            synchronized (this) {
                datagrams.add(datagram);
                notifyAll();
            }
        }
    }

    private static Datagram parse(byte[] bytes) {
        List<StatsdLine> lines = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        String[] texts = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < texts.length; i++) {
            if (texts[i].isBlank()) {
                continue;
            }
            try {
                lines.add(StatsdLine.parse(texts[i]));
            } catch (IllegalArgumentException e) {
                errors.add("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return new Datagram(bytes, Instant.now(), lines, errors);
    }

    private String describe() {
        StringBuilder out = new StringBuilder();
        for (Datagram d : datagrams) {
            out.append("  ").append(d.text().replace("\n", "\\n")).append('\n');
            for (String error : d.errors()) {
                out.append("    parse error: ").append(error).append('\n');
            }
        }
        return out.toString();
    }
}
