package io.monasca.perf.support;

import io.monasca.perf.standin.StandInMonascaApi;
import io.monasca.testkit.influx.InfluxServer;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The stand-in Monasca API reading a database of its own in one InfluxDB shared by the test JVM, and a way to store
 * points in it the way the persister does (measurement = name; tags = dimensions + _tenant_id + _region; fields
 * value and value_meta; ms time), for tests of the read side. Tenant: project {@code monitoring}'s.
 */
public final class StoredStandIn implements AutoCloseable {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static InfluxServer influx;

    private final StandInMonascaApi api;
    private final String database;

    private StoredStandIn(StandInMonascaApi api, String database) {
        this.api = api;
        this.database = database;
    }

    /** The InfluxDB of this test JVM, started on first use and stopped at its exit. */
    public static synchronized InfluxServer influx() {
        if (influx == null) {
            influx = InfluxServer.started();
            InfluxServer started = influx;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        }
        return influx;
    }

    /** A read-only stand-in (no Kafka: a POST answers 503) over a fresh database. */
    public static StoredStandIn start() throws IOException {
        String database = "mon_test_" + DATABASES.incrementAndGet();
        influx().createDatabase(database);
        return new StoredStandIn(new StandInMonascaApi("127.0.0.1", 0, "RegionOne", influx().url(), database, null), database);
    }

    public StandInMonascaApi api() {
        return api;
    }

    /** Stores one point of project monitoring's tenant, as the persister would. */
    public void add(String name, Map<String, String> dimensions, long millis, double value) {
        TreeMap<String, String> tags = new TreeMap<>(dimensions);
        tags.put("_tenant_id", StandInMonascaApi.tenantOf("monitoring"));
        tags.put("_region", "RegionOne");
        StringBuilder line = new StringBuilder(escape(name));
        tags.forEach((k, v) -> line.append(',').append(escape(k)).append('=').append(escape(v)));
        line.append(" value=").append(value).append(",value_meta=\"{}\" ").append(millis).append('\n');
        influx().write(database, line.toString());
    }

    private static String escape(String s) {
        return s.replace(",", "\\,").replace("=", "\\=").replace(" ", "\\ ");
    }

    @Override
    public void close() {
        api.close();
    }
}
