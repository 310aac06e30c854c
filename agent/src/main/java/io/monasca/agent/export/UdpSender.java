package io.monasca.agent.export;

import io.monasca.agent.AgentLog;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sends datagrams to the statsd daemon from the exporter thread, never from an application thread.
 *
 * <p>Why not java-statsd-client's {@code NonBlockingUdpSender}: it resolves the host once when built (an unresolvable
 * host at start would mean no sender at all), queues to its own thread without bound, and may wait 30 s when
 * stopped. Here the exporter is already the one background thread; a non-blocking channel sends each datagram at
 * once or counts it as failed, the host is resolved again when unresolved and every few minutes, and nothing waits.
 * The socket is connected to the daemon, so it receives from nobody else and a missing daemon shows as a failure.
 */
final class UdpSender implements AutoCloseable {
    private static final long RESOLVE_EVERY_NANOS = TimeUnit.MINUTES.toNanos(5);

    private final String host;
    private final int port;
    private DatagramChannel channel;
    private InetSocketAddress connectedTo;
    private InetSocketAddress target;
    private long resolvedAt;
    /** Written by the exporter thread only; read by the MBean. */
    private volatile long failures;

    UdpSender(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** Sends each payload; those that cannot be sent are counted in {@link #failures}. */
    void send(List<byte[]> payloads) {
        InetSocketAddress to = target();
        if (to == null) {
            failures += payloads.size();
            return;
        }
        int failed = 0;
        for (byte[] payload : payloads) {
            try {
                if (channel(to).write(ByteBuffer.wrap(payload)) == 0) {
                    failed++; // socket buffer full: drop rather than wait
                    AgentLog.warnOnce("send-full", "statsd datagram dropped: socket buffer full; further drops"
                            + " are only counted (metric <prefix>.agent.send_failures)");
                }
            } catch (IOException | RuntimeException e) {
                failed++;
                closeChannel();
                AgentLog.warnOnce("send-error", "sending to statsd " + host + ":" + port + " failed (" + e
                        + "); further failures are only counted (metric <prefix>.agent.send_failures)");
            }
        }
        failures += failed;
    }

    /** Resolves the host and opens the socket ahead of the first send; a failure here shows again at that send. */
    void prepare() {
        InetSocketAddress to = target();
        if (to != null) {
            try {
                channel(to);
            } catch (IOException | RuntimeException e) {
                closeChannel(); // the first send tries again, and reports
            }
        }
    }

    long failures() {
        return failures;
    }

    private InetSocketAddress target() {
        boolean stale = target == null || System.nanoTime() - resolvedAt > RESOLVE_EVERY_NANOS;
        if (stale) {
            InetSocketAddress fresh = isLocalhost(host)
                    ? new InetSocketAddress(InetAddress.getLoopbackAddress(), port)
                    : new InetSocketAddress(host, port);
            resolvedAt = System.nanoTime();
            if (!fresh.isUnresolved()) {
                target = fresh;
            } else if (target == null) {
                AgentLog.warnOnce("resolve", "cannot resolve statsd.host '" + host + "'; metrics are dropped and"
                        + " counted until it resolves (tried again every interval)");
                resolvedAt = 0;
            }
        }
        return target;
    }

    /**
     * {@code localhost} (the default) is the loopback address, as RFC 6761 reserves it, without a lookup: resolving
     * it would load the JDK's name service and read the security properties, some ms at a JVM's start for nothing.
     * (IPv4 first, as the JDK's own lookup orders it, unless java.net.preferIPv6Addresses is set.)
     */
    static boolean isLocalhost(String host) {
        return host.equalsIgnoreCase("localhost") || host.equalsIgnoreCase("localhost.");
    }

    /**
     * A socket connected to the daemon: it accepts datagrams from the daemon's address only (so the agent listens
     * to nobody), and reports a daemon that is not there (ICMP port unreachable) as a send failure.
     */
    private DatagramChannel channel(InetSocketAddress to) throws IOException {
        if (channel != null && !to.equals(connectedTo)) {
            closeChannel(); // the host resolved to another address
        }
        if (channel == null) {
            channel = DatagramChannel.open();
            channel.configureBlocking(false);
            channel.connect(to);
            connectedTo = to;
        }
        return channel;
    }

    private void closeChannel() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // being replaced anyway
        }
        channel = null;
    }

    @Override
    public void close() {
        closeChannel();
    }
}
