package io.monasca.sample.persister.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class LineProtocolTest {


    @Test
    void writesSortedTagsValueAndMillisecondTimestamp() {
        Point point = new Point("cpu.idle_perc", Tags.of("hostname", "h1", "_tenant_id", "t", "_region", "r"), 97.5,
                null, 1700000000123L);
        assertEquals("cpu.idle_perc,_region=r,_tenant_id=t,hostname=h1 value=97.5 1700000000123\n",
                LineProtocol.lines(List.of(point)));
    }

    @Test
    void escapesSpecialCharacters() {
        Point point = new Point("disk used,pct", Tags.of("mount point", "/a=b,c"), 1e20, "{\"msg\":\"a \\\"q\\\"\"}", 5);
        assertEquals("disk\\ used\\,pct,mount\\ point=/a\\=b\\,c value=1.0E20,"
                        + "value_meta=\"{\\\"msg\\\":\\\"a \\\\\\\"q\\\\\\\"\\\"}\" 5\n",
                LineProtocol.lines(List.of(point)));
    }

    @Test
    void anEmptyBatchIsEmpty() {
        assertEquals("", LineProtocol.lines(List.of()));
    }
}
