package io.monasca.sample.persister.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class LineProtocolTest {

    private static TreeMap<String, String> tags(String... keysAndValues) {
        TreeMap<String, String> tags = new TreeMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            tags.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return tags;
    }

    @Test
    void writesSortedTagsValueAndMillisecondTimestamp() {
        Point point = new Point("cpu.idle_perc", tags("hostname", "h1", "_tenant_id", "t", "_region", "r"), 97.5,
                null, 1700000000123L);
        assertEquals("cpu.idle_perc,_region=r,_tenant_id=t,hostname=h1 value=97.5 1700000000123\n",
                LineProtocol.lines(List.of(point)));
    }

    @Test
    void escapesSpecialCharacters() {
        Point point = new Point("disk used,pct", tags("mount point", "/a=b,c"), 1e20, "{\"msg\":\"a \\\"q\\\"\"}", 5);
        assertEquals("disk\\ used\\,pct,mount\\ point=/a\\=b\\,c value=1.0E20,"
                        + "value_meta=\"{\\\"msg\\\":\\\"a \\\\\\\"q\\\\\\\"\\\"}\" 5\n",
                LineProtocol.lines(List.of(point)));
    }

    @Test
    void anEmptyBatchIsEmpty() {
        assertEquals("", LineProtocol.lines(List.of()));
    }
}
