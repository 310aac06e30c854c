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
    void keepsItsPortAndDataAcrossAKill() throws Exception {
        // A stop (SIGTERM) and start are exercised by the sample persister's FaultInjectionIT.
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.started()) {
            String bootstrap = broker.bootstrapServers();
            broker.createTopic("metrics", 2);
            Messages.send(bootstrap, "metrics", Messages.numbered("a", 10));

            assertEquals(137, broker.kill(), "exit status of a SIGKILL");
            assertFalse(broker.isAlive());
            broker.start();
            assertTrue(broker.isAlive());
            assertEquals(bootstrap, broker.bootstrapServers());
            Messages.send(bootstrap, "metrics", Messages.numbered("b", 10));

            List<String> expected = new ArrayList<>(Messages.numbered("a", 10));
            expected.addAll(Messages.numbered("b", 10));
            List<String> read = Messages.readAll(bootstrap, "metrics", 20);
            assertEquals(new HashSet<>(expected), new HashSet<>(read), broker.logTail());
            assertEquals(20, read.size());
        }
    }
}
