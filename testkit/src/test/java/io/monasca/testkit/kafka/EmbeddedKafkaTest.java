package io.monasca.testkit.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

    @Test
    void producedMessagesCanBeConsumed() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("metrics", 2);
            Messages.send(kafka.bootstrapServers(), "metrics", Messages.numbered("m", 10));
            assertEquals(10, Messages.readAll(kafka.bootstrapServers(), "metrics", 10).size());
        }
    }
}
