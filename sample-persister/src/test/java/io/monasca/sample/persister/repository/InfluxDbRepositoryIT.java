package io.monasca.sample.persister.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;

import io.monasca.testkit.influx.InfluxServer;

/** The repository against a real influxd: what it writes is read back exactly, escaping included. */
class InfluxDbRepositoryIT {

    private static InfluxServer influx;

    @BeforeAll
    static void start() {
        influx = InfluxServer.started();
        influx.createDatabase("mon");
        influx.query("mon", "CREATE RETENTION POLICY \"short\" ON \"mon\" DURATION 1d REPLICATION 1");
    }

    @AfterAll
    static void stop() {
        influx.close();
    }


    @Test
    void specialCharactersSurviveTheRoundTrip() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        InfluxDbRepository repository = new InfluxDbRepository(influx.url(), "mon", "", "", "", registry);
        long now = System.currentTimeMillis();
        Point odd = new Point("disk used,pct=x", Tags.of("mount point", "/a=b,c d", "_tenant_id", "t 1"), 1e20,
                "{\"msg\":\"say \\\"hi\\\"\"}", now);
        Point plain = new Point("cpu.idle_perc", Tags.of("hostname", "h1"), -0.25, null, now + 1);

        assertEquals(2, repository.write(List.of(odd, plain)));
        assertEquals(1, registry.timer(InfluxDbRepository.FLUSH_TIMER).getCount());

        JsonNode row = influx.query("mon", "SELECT \"value\", \"value_meta\", \"mount point\", \"_tenant_id\" "
                + "FROM \"disk used,pct=x\"").path("series").path(0).path("values").path(0);
        assertEquals(now, row.path(0).asLong());
        assertEquals(1e20, row.path(1).asDouble());
        assertEquals("{\"msg\":\"say \\\"hi\\\"\"}", row.path(2).asText());
        assertEquals("/a=b,c d", row.path(3).asText());
        assertEquals("t 1", row.path(4).asText());
        JsonNode plainRow = influx.query("mon", "SELECT \"value\", \"value_meta\" FROM \"cpu.idle_perc\"")
                .path("series").path(0).path("values").path(0);
        assertEquals(-0.25, plainRow.path(1).asDouble());
        assertTrue(plainRow.path(2).isNull(), "no value_meta field when there is none");
    }

    @Test
    void writesToTheConfiguredRetentionPolicy() throws Exception {
        InfluxDbRepository repository = new InfluxDbRepository(influx.url() + "/", "mon", "short", "", "",
                new MetricRegistry());
        repository.write(List.of(new Point("rp_test", Tags.of("a", "b"), 1, null, System.currentTimeMillis())));
        assertEquals(1, influx.query("mon", "SELECT count(\"value\") FROM \"short\".\"rp_test\"")
                .path("series").path(0).path("values").path(0).path(1).asLong());
        assertEquals(0, influx.count("mon", "^rp_test$"), "nothing in the default retention policy");
    }

    @Test
    void aPointInfluxDbRefusesIsDroppedAndTheRestOfTheBatchStored() throws Exception {
        MetricRegistry registry = new MetricRegistry();
        InfluxDbRepository repository = new InfluxDbRepository(influx.url(), "mon", "", "", "", registry);
        long now = System.currentTimeMillis();
        Point poison = new Point("poison_test", Tags.of("time", "x"), 1, null, now); // tag key 'time': HTTP 400
        List<Point> batch = List.of(new Point("poison_test", Tags.of("a", "1"), 1, null, now), poison,
                new Point("poison_test", Tags.of("a", "2"), 2, null, now));

        assertEquals(2, repository.write(batch), "written, not thrown: a retry would fail forever");
        assertEquals(1, registry.counter(InfluxDbRepository.REJECTED_COUNTER).getCount());
        assertEquals(2, influx.query("mon", "SELECT count(\"value\") FROM \"poison_test\"")
                .path("series").path(0).path("values").path(0).path(1).asLong());
    }

    @Test
    void failuresAreThrownWithTheReason() {
        Point point = new Point("m", Tags.of("a", "b"), 1, null, System.currentTimeMillis());
        RepositoryException missing = assertThrows(RepositoryException.class, () ->
                new InfluxDbRepository(influx.url(), "nosuchdb", "", "", "", new MetricRegistry()).write(List.of(point)));
        assertTrue(missing.getMessage().contains("HTTP 404") && missing.getMessage().contains("database not found"),
                missing.getMessage());
        RepositoryException down = assertThrows(RepositoryException.class, () ->
                new InfluxDbRepository("http://127.0.0.1:1", "mon", "", "", "", new MetricRegistry()).write(List.of(point)));
        assertTrue(down.getMessage().startsWith("InfluxDB unreachable"), down.getMessage());
    }
}
