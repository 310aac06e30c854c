package io.monasca.perf.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.SplittableRandom;

/**
 * Builds Monasca metric envelopes (the Kafka message a Monasca API publishes on topic {@code metrics}) with the
 * semantics of monasca-persister/perf's JMeter plan: metric names {@code metric_001..metric_600}, dimension
 * {@code hostname} {@code host_0001..host_1500}, {@code process} 1..22, {@code service=monitoring}, and 40% of the
 * messages for the admin tenant, 60% for one of the guest tenants {@code tenant_01..tenant_10}.
 *
 * <p>Each message carries one metric. Its timestamp is {@code baseMillis + sequence}: unique within a round, so no
 * two points land on the same InfluxDB series and time (InfluxDB would keep only one of them and the cross-check
 * against the database would fail for a reason that is not the persister's).
 */
public final class EnvelopeFactory {
    public static final int METRIC_NAMES = 600;
    public static final int HOSTS = 1500;
    public static final int GUEST_TENANTS = 10;
    public static final int PROCESSES = 22;
    public static final String ADMIN_TENANT = "admin";
    /** Share of messages sent with the admin tenant, as in the JMeter plan's mixed test. */
    public static final double ADMIN_SHARE = 0.4;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final long baseMillis;
    private final String region;
    private final int series;

    public EnvelopeFactory(long baseMillis, String region) {
        this(baseMillis, region, 0);
    }

    /**
     * @param series 0: names, dimensions and tenant drawn afresh for every message, so nearly every message starts a
     *               new series (the JMeter plan); n: each message belongs to one of n series, drawn once from the same
     *               values, so a long run reaches a steady state instead of adding a series per point (InfluxDB
     *               refuses more than 1,000,000 series per database by default)
     */
    public EnvelopeFactory(long baseMillis, String region, int series) {
        this.baseMillis = baseMillis;
        this.region = region;
        this.series = series;
    }

    /** The envelope for message number {@code sequence} of a round, drawing names and dimensions from {@code random}. */
    public String envelope(long sequence, SplittableRandom random) {
        long timestamp = baseMillis + sequence;
        SplittableRandom names = series > 0 ? new SplittableRandom(random.nextInt(series)) : random;
        ObjectNode root = JSON.createObjectNode();
        ObjectNode metric = root.putObject("metric");
        metric.put("timestamp", timestamp);
        metric.put("name", String.format("metric_%03d", 1 + names.nextInt(METRIC_NAMES)));
        ObjectNode dimensions = metric.putObject("dimensions");
        dimensions.put("hostname", String.format("host_%04d", 1 + names.nextInt(HOSTS)));
        dimensions.put("process", Integer.toString(1 + names.nextInt(PROCESSES)));
        dimensions.put("service", "monitoring");
        metric.put("value", Math.round(random.nextDouble() * 10000.0) / 100.0);
        metric.putNull("value_meta");
        ObjectNode meta = root.putObject("meta");
        meta.put("region", region);
        meta.put("tenantId", tenant(names));
        root.put("creation_time", timestamp / 1000);
        return root.toString();
    }

    static String tenant(SplittableRandom random) {
        if (random.nextDouble() < ADMIN_SHARE) {
            return ADMIN_TENANT;
        }
        return String.format("tenant_%02d", 1 + random.nextInt(GUEST_TENANTS));
    }
}
