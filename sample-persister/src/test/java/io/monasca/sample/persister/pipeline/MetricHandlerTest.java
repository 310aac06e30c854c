package io.monasca.sample.persister.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.codahale.metrics.MetricRegistry;

import io.monasca.sample.persister.repository.FileRepository;
import io.monasca.sample.persister.repository.RepositoryException;

class MetricHandlerTest {

    private static final String PREFIX = "monasca.persister.pipeline.event.MetricHandler[metric-0].";

    private static String message(int i) {
        return "{\"metric\":{\"timestamp\":" + (1700000000000L + i) + ",\"name\":\"m\",\"dimensions\":{\"i\":\"" + i
                + "\"},\"value\":" + i + "},\"meta\":{\"region\":\"r\",\"tenantId\":\"t\"}}";
    }

    @Test
    void batchesMessagesAndFlushesThemWithTheJavaPersisterMetricNames(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out.lp");
        MetricRegistry registry = new MetricRegistry();
        MetricHandler handler = new MetricHandler("metric-0", new MetricMessageParser(4096), new FileRepository(file),
                registry);

        assertEquals(1, handler.onEvent(message(1)));
        assertEquals(0, handler.onEvent("garbage"));
        assertTrue(handler.lastRejection().startsWith("not JSON"), handler.lastRejection());
        assertEquals(1, handler.onEvent(message(2)));
        assertEquals(2, handler.batchSize());
        assertEquals(2, handler.flush());
        assertEquals(0, handler.batchSize());
        assertEquals(0, handler.flushRepository());

        assertEquals(List.of("m,_region=r,_tenant_id=t,i=1 value=1.0,value_meta=\"{}\" 1700000000001",
                "m,_region=r,_tenant_id=t,i=2 value=2.0,value_meta=\"{}\" 1700000000002"), Files.readAllLines(file));
        assertEquals(3, registry.meter(PREFIX + "events-processed-meter").getCount());
        assertEquals(2, registry.meter(PREFIX + "flush-meter").getCount());
        assertEquals(1, registry.timer(PREFIX + "flush-timer").getCount());
        assertEquals(2, registry.counter(PREFIX + "metrics-added-to-batch-counter").getCount());
        assertEquals(1, registry.counter(PREFIX + "malformed-messages-counter").getCount());
    }

    @Test
    void anArrayOfEnvelopesAddsEachOfThem(@TempDir Path dir) throws Exception {
        MetricRegistry registry = new MetricRegistry();
        MetricHandler handler = new MetricHandler("metric-0", new MetricMessageParser(4096),
                new FileRepository(dir.resolve("out.lp")), registry);
        assertEquals(3, handler.process("[" + message(1) + "," + message(2) + "," + message(3) + "]"));
        assertEquals(0, handler.process("[" + message(4) + ",7]"), "one bad element rejects the message");
        assertEquals(3, handler.batchSize());
        assertEquals(3, registry.counter(PREFIX + "metrics-added-to-batch-counter").getCount());
        assertEquals(1, registry.counter(PREFIX + "malformed-messages-counter").getCount());
    }

    @Test
    void aFailedFlushKeepsTheBatch(@TempDir Path dir) throws Exception {
        Path blocked = dir.resolve("a-directory");
        Files.createDirectory(blocked);
        MetricHandler handler = new MetricHandler("metric-0", new MetricMessageParser(4096),
                new FileRepository(blocked), new MetricRegistry());
        handler.process(message(1));
        assertThrows(RepositoryException.class, handler::flush);
        assertEquals(1, handler.batchSize());
    }
}
