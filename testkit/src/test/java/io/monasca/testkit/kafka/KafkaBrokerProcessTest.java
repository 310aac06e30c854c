package io.monasca.testkit.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Test;

class KafkaBrokerProcessTest {

    @Test
    void keepsItsPortAndDataAcrossAStopAndAKill() throws Exception {
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.started()) {
            String bootstrap = broker.bootstrapServers();
            broker.createTopic("metrics", 2);
            Messages.send(bootstrap, "metrics", Messages.numbered("a", 10));

            assertEquals(143, broker.stop(), "exit status after SIGTERM: " + broker.logTail());
            assertFalse(broker.isAlive());
            broker.start();
            assertEquals(bootstrap, broker.bootstrapServers());
            Messages.send(bootstrap, "metrics", Messages.numbered("b", 10));

            assertEquals(137, broker.kill(), "exit status of a SIGKILL");
            broker.start();
            assertTrue(broker.isAlive());
            Messages.send(bootstrap, "metrics", Messages.numbered("c", 10));

            List<String> expected = new ArrayList<>(Messages.numbered("a", 10));
            expected.addAll(Messages.numbered("b", 10));
            expected.addAll(Messages.numbered("c", 10));
            List<String> read = Messages.readAll(bootstrap, "metrics", 30);
            assertEquals(new HashSet<>(expected), new HashSet<>(read), broker.logTail());
            assertEquals(30, read.size());
        }
    }
}
