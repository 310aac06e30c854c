package io.monasca.sample.persister.it;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.monasca.testkit.kafka.EmbeddedKafka;

/**
 * One in-JVM Kafka broker for all the tests of a class, each with its own topic:
 * {@code @RegisterExtension static final KafkaPerClass KAFKA = new KafkaPerClass();}.
 */
final class KafkaPerClass implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) {
        kafka = EmbeddedKafka.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (kafka != null) {
            kafka.close();
        }
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    void createTopic(String name, int partitions) {
        kafka.createTopic(name, partitions);
    }
}
