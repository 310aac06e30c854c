package io.monasca.perf.source;

/**
 * Names of the metrics the agent sends (prefix {@code monasca.persister}, operations of the sample persister's
 * agent.properties): {@code upsert} is one Kafka message, {@code flush} one batch write.
 * Received = upsert calls started; persisted = points written by flushes ({@code flush.items}).
 */
public final class AgentMetrics {
    public static final String PREFIX = "monasca.persister.";
    public static final String RECEIVED = PREFIX + "upsert.received";
    public static final String UPSERT_ITEMS = PREFIX + "upsert.items";
    public static final String PERSISTED = PREFIX + "flush.items";
    public static final String[] TIMED_OPERATIONS = {"upsert", "flush"};

    private AgentMetrics() {
    }

    public static String time(String operation, String stat) {
        return PREFIX + operation + ".time." + stat;
    }

    public static String counter(String operation, String stat) {
        return PREFIX + operation + "." + stat;
    }
}
