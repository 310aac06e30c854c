package io.monasca.agent.export;

import io.monasca.agent.AgentLog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs lines into datagram payloads joined by '\n' (the daemon splits on it), each at most {@code maxBytes}, so that
 * no datagram is fragmented or cut. A line longer than that on its own is dropped and counted: sent, it would be cut
 * and lose its datagram.
 */
final class DatagramPacker {
    private final int maxBytes;
    private volatile long droppedLines;

    DatagramPacker(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    List<byte[]> pack(List<String> lines) {
        List<byte[]> payloads = new ArrayList<byte[]>();
        StringBuilder current = new StringBuilder(maxBytes);
        int currentBytes = 0;
        for (String line : lines) {
            int bytes = line.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxBytes) {
                droppedLines++;
                AgentLog.warnOnce("line-too-long", "a line of " + bytes + " bytes does not fit statsd.packet-size "
                        + maxBytes + " and is dropped (further drops only counted in <prefix>.agent.errors): "
                        + line.substring(0, Math.min(200, line.length())) + "...");
                continue;
            }
            int needed = currentBytes == 0 ? bytes : currentBytes + 1 + bytes;
            if (needed > maxBytes) {
                payloads.add(current.toString().getBytes(StandardCharsets.UTF_8));
                current.setLength(0);
                needed = bytes;
            }
            if (current.length() > 0) {
                current.append('\n');
            }
            current.append(line);
            currentBytes = needed;
        }
        if (current.length() > 0) {
            payloads.add(current.toString().getBytes(StandardCharsets.UTF_8));
        }
        return payloads;
    }

    long droppedLines() {
        return droppedLines;
    }
}
