package io.monasca.agent.export;

import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sender over a real UDP socket on the loopback interface. */
class UdpSenderTest {
    @Test
    void localhostIsTheLoopbackAddressWithoutALookup() {
        assertTrue(UdpSender.isLocalhost("localhost"));
        assertTrue(UdpSender.isLocalhost("LocalHost."));
        assertFalse(UdpSender.isLocalhost("localhost.example.org"));
        assertFalse(UdpSender.isLocalhost("127.0.0.1"));
    }

    @Test
    void preparedThenSentToLocalhostArrives() throws Exception {
        try (DatagramSocket daemon = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             UdpSender sender = new UdpSender("localhost", daemon.getLocalPort())) {
            daemon.setSoTimeout(5_000);
            sender.prepare();
            sender.send(List.of("a.b:1|c".getBytes(StandardCharsets.UTF_8)));
            DatagramPacket packet = new DatagramPacket(new byte[100], 100);
            daemon.receive(packet);
            assertEquals("a.b:1|c", new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
            assertEquals(0, sender.failures());
        }
    }

    @Test
    void preparingForAnUnresolvableHostLosesNothingAndCountsNothing() {
        try (UdpSender sender = new UdpSender("no-such-host.invalid", 8125)) {
            sender.prepare();
            assertEquals(0, sender.failures());
            sender.send(List.of(new byte[]{'x'}));
            assertEquals(1, sender.failures());
        }
    }
}
