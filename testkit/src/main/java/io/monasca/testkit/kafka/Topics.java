package io.monasca.testkit.kafka;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.RetriableException;

/** Topic administration shared by the in-JVM broker and the broker process. */
final class Topics {

    private Topics() {
    }

    /** Creates a topic (replication factor 1) and waits until every partition has a leader. */
    static void create(String bootstrapServers, String name, int partitions) {
        try (Admin admin = admin(bootstrapServers)) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            awaitLeaders(admin, Set.of(name), 30);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not create topic " + name + ": " + e, e);
        }
    }

    static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Until the broker's metadata knows the topics and every partition has a leader. */
    static void awaitLeaders(Admin admin, Set<String> names, int timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            try {
                Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames()
                        .get(timeoutSeconds, TimeUnit.SECONDS);
                if (topics.values().stream().allMatch(topic -> topic.partitions().stream()
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty()))) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    throw e; // UnknownTopicOrPartitionException is retriable: metadata not there yet
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics " + names + " did not get ready within " + timeoutSeconds + " s");
            }
            Thread.sleep(50);
        }
    }
}
