package io.monasca.agent.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AgentArgumentsTest {
    @Test
    void splitsOnCommasBeforeKeys() {
        assertEquals(List.of("statsd.port=9125", "interval=5s"), AgentArguments.split("statsd.port=9125,interval=5s"));
    }

    @Test
    void keepsCommasInsideMethodLists() {
        assertEquals(List.of("op.flush=a.B[x,y];c.D[*]", "prefix=p"),
                AgentArguments.split("op.flush=a.B[x,y];c.D[*],prefix=p"));
    }

    @Test
    void keepsCommasFollowedByTextWithoutEquals() {
        assertEquals(List.of("dimensions=region:r1,cluster:c1", "interval=1s"),
                AgentArguments.split("dimensions=region:r1,cluster:c1,interval=1s"));
    }

    @Test
    void ignoresBlankEntries() {
        assertEquals(List.of("a=1", "b=2"), AgentArguments.split(" a=1 ,, b=2 ,"));
        assertEquals(List.of(), AgentArguments.split(null));
        assertEquals(List.of(), AgentArguments.split("  "));
    }
}
