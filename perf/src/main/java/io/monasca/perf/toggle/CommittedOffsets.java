package io.monasca.perf.toggle;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The persister's consumer group's committed offsets, summed over the topic's partitions, read from the broker. The
 * persister commits a batch's offsets only after writing it to the database, so when the sum reaches the number of
 * messages produced, every one of them is persisted. Asking the broker (in perf's JVM) costs the persister nothing,
 * whereas every read of its admin API costs it 3 to 15 ms of CPU (rendering the metrics as JSON): polled during a
 * window, that would be most of what the window measures.
 */
public final class CommittedOffsets implements AutoCloseable {
    private final Admin admin;
    private final String group;

    public CommittedOffsets(String bootstrapServers, String group) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.admin = Admin.create(properties);
        this.group = group;
    }

    /** Sum of the committed offsets of the group (0 before its first commit). */
    public long sum() throws InterruptedException, ExecutionException, TimeoutException {
        Map<?, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        long sum = 0;
        for (OffsetAndMetadata offset : offsets.values()) if (offset != null) sum += offset.offset();
        return sum;
    }

    @Override
    public void close() {
        admin.close();
    }
}
