package io.monasca.sample.persister.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.monasca.testkit.influx.InfluxServer;

/**
 * At-least-once under failure, with real parts: a database outage, a rebalance during it, a graceful stop and
 * malformed messages (SIGKILLs: {@link ReliabilityRunIT}; more faults: {@link FaultInjectionIT}). InfluxDB keeps one point per series and timestamp, so a message written twice counts once and
 * "count == messages sent" means nothing was lost.
 */
class ResilienceIT {

    private static final String EVENTS = "MetricHandler\\[metric-[0-9]+\\]\\.events-processed-meter$";
    private static final String MALFORMED = "MetricHandler\\[metric-[0-9]+\\]\\.malformed-messages-counter$";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final KafkaPerClass KAFKA = new KafkaPerClass();

    @TempDir
    Path dir;

    @Test
    void anInfluxDbOutageLosesNothing() throws Exception {
        try (InfluxServer influx = InfluxServer.started()) {
            influx.createDatabase("mon");
            KAFKA.createTopic("outage", 2);
            Path config = Configs.write(dir, "outage", KAFKA.bootstrapServers(), influx.url(), "mon", 2, 50, 1, "");
            try (PersisterProcess persister = PersisterProcess.start(config, dir.resolve("persister.log"), List.of())) {
                Envelopes.send(KAFKA.bootstrapServers(), "outage", Envelopes.envelopes(0, 200));
                Waits.until("the first 200 points", WAIT, () -> influx.count("mon", "*") == 200, persister::logTail);

                influx.stop();
                Envelopes.send(KAFKA.bootstrapServers(), "outage", Envelopes.envelopes(200, 400));
                Waits.until("a failed write", WAIT, () -> persister.log().contains("partitions paused, retrying"),
                        persister::logTail);
                Thread.sleep(2500); // several attempts with backoff
                assertTrue(persister.isAlive(), persister::logTail);
                assertEquals(500, persister.healthStatus());
                assertTrue(persister.health().body().contains("fail, retrying: InfluxDB unreachable"), persister.health().body());

                influx.start();
                Waits.until("all 400 points after the outage", WAIT, () -> influx.count("mon", "*") == 400,
                        persister::logTail);
                assertTrue(persister.log().contains("batch written after"), persister::logTail);
                assertEquals(200, persister.healthStatus(), persister.health().body());
                assertEquals(400, persister.sum("meters", EVENTS));
            }
        }
    }

    @Test
    void aConsumerJoiningDuringAnOutageLosesNothingAndKillsNoThread() throws Exception {
        try (InfluxServer influx = InfluxServer.started()) {
            influx.createDatabase("mon");
            KAFKA.createTopic("rebalance", 4);
            Path config = Configs.write(dir, "rebalance", KAFKA.bootstrapServers(), influx.url(), "mon", 1, 50, 1, "");
            try (PersisterProcess first = PersisterProcess.start(config, dir.resolve("first.log"), List.of())) {
                Envelopes.send(KAFKA.bootstrapServers(), "rebalance", Envelopes.envelopes(0, 200));
                Waits.until("the first 200 points", WAIT, () -> influx.count("mon", "*") == 200, first::logTail);
                int assignedBefore = occurrences(first.log(), ": assigned [");

                influx.stop();
                Envelopes.send(KAFKA.bootstrapServers(), "rebalance", Envelopes.envelopes(200, 400));
                Waits.until("a failed write", WAIT, () -> first.log().contains("partitions paused, retrying"),
                        first::logTail);
                try (PersisterProcess second = PersisterProcess.start(config, dir.resolve("second.log"), List.of())) {
                    // The group rebalances while the first persister retries its batch.
                    Waits.until("a rebalance during the outage", WAIT,
                            () -> occurrences(first.log(), ": assigned [") > assignedBefore
                                    && second.log().contains(": assigned [rebalance-"), first::logTail);
                    Thread.sleep(3000); // several polls of the retry loop after the rebalance
                    assertTrue(first.isAlive() && second.isAlive(), first::logTail);
                    assertFalse(first.log().contains("consumer thread failed"), first::logTail);

                    influx.start();
                    Waits.until("all 400 points after the outage", WAIT, () -> influx.count("mon", "*") == 400,
                            first::logTail);
                    assertFalse(first.log().contains("consumer thread failed"), first::logTail);
                    assertFalse(second.log().contains("consumer thread failed"), second::logTail);
                    assertTrue(first.isAlive() && second.isAlive(), first::logTail);
                }
            }
        }
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
    }

    @Test
    void aGracefulStopWritesTheLastBatchAndCommitsIt() throws Exception {
        try (InfluxServer influx = InfluxServer.started()) {
            influx.createDatabase("mon");
            KAFKA.createTopic("graceful", 2);
            // Batches that neither fill up nor age during the test: only the stop writes them. One thread, so
            // no rebalance between the persister's own consumers flushes a batch early.
            Path config = Configs.write(dir, "graceful", KAFKA.bootstrapServers(), influx.url(), "mon", 1, 100000, 300, "");
            try (PersisterProcess persister = PersisterProcess.start(config, dir.resolve("persister.log"), List.of())) {
                Envelopes.send(KAFKA.bootstrapServers(), "graceful", Envelopes.envelopes(0, 300));
                Waits.until("300 messages read", WAIT, () -> persister.sum("meters", EVENTS) == 300, persister::logTail);
                assertEquals(0, influx.count("mon", "*"), "nothing written before the stop");

                assertEquals(143, persister.terminate(), "exit status after SIGTERM");
                assertEquals(300, influx.count("mon", "*"));
                assertEquals(300, committedOffsets("1_graceful"), "committed offsets over all partitions");
                assertTrue(persister.log().contains("stopped after the last batch was written and committed"),
                        persister::logTail);
            }
        }
    }

    @Test
    void malformedMessagesAreCountedSkippedAndTheRestStored() throws Exception {
        List<String> malformed = new ArrayList<>(List.of(
                "not json at all",
                "[1,2,3]", // an array of non-envelopes
                // InfluxDB refuses a tag key 'time'; it must not block the batch it would have been in.
                "{\"metric\":{\"name\":\"m\",\"timestamp\":1700000000000,\"value\":1,\"dimensions\":{\"time\":\"x\"}},\"meta\":{\"tenantId\":\"t\",\"region\":\"r\"}}",
                "[{\"metric\":{\"name\":\"m\",\"timestamp\":1700000000000,\"value\":1},\"meta\":{\"tenantId\":\"t\",\"region\":\"r\"}},5]",
                "{\"metric\":{},\"meta\":{}}",
                "{\"metric\":{\"name\":\"m\",\"timestamp\":1700000000000,\"value\":\"12\"},\"meta\":{\"tenantId\":\"t\",\"region\":\"r\"}}",
                "{\"metric\":{\"name\":\"m\",\"timestamp\":1700000000000,\"value\":NaN},\"meta\":{\"tenantId\":\"t\",\"region\":\"r\"}}",
                "{\"metric\":{\"name\":\"m\",\"timestamp\":1700000000000,\"value\":1e999},\"meta\":{\"tenantId\":\"t\",\"region\":\"r\"}}",
                "{\"metric\":{\"name\":5,\"timestamp\":1700000000000,\"value\":1},\"meta\":{\"tenantId\":\"t\",\"region\":\"r\"}}",
                "{\"metric\":{\"name\":\"m\",\"timestamp\":\"now\",\"value\":1},\"meta\":{\"tenantId\":\"t\",\"region\":\"r\"}}",
                "{\"metric\":{\"name\":\"m\",\"timestamp\":1700000000000,\"value\":1,\"dimensions\":{\"a\":1}},\"meta\":{\"tenantId\":\"t\",\"region\":\"r\"}}",
                "{\"metric\":{\"name\":\"m\",\"timestamp\":1700000000000,\"value\":1},\"meta\":{\"region\":\"r\"}}",
                "{\"metric\":{\"name\":\"" + "x".repeat(3000) + "\",\"timestamp\":1700000000000,\"value\":1},\"meta\":{}}"));
        int valid = 200;
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < valid; i++) {
            messages.add(Envelopes.envelope(i));
            if (i % 15 == 0 && i / 15 < malformed.size()) {
                messages.add(malformed.get(i / 15));
            }
        }
        assertEquals(valid + malformed.size(), messages.size());

        try (InfluxServer influx = InfluxServer.started()) {
            influx.createDatabase("mon");
            KAFKA.createTopic("malformed", 2);
            Path config = Configs.write(dir, "malformed", KAFKA.bootstrapServers(), influx.url(), "mon", 2, 50, 1,
                    "  maxMessageSize: 2048\n");
            try (PersisterProcess persister = PersisterProcess.start(config, dir.resolve("persister.log"), List.of())) {
                Envelopes.send(KAFKA.bootstrapServers(), "malformed", messages);
                Waits.until(valid + " points", WAIT, () -> influx.count("mon", "*") == valid, persister::logTail);
                Waits.until("every message read", WAIT, () -> persister.sum("meters", EVENTS) == messages.size(),
                        persister::logTail);

                assertEquals(malformed.size(), persister.sum("counters", MALFORMED));
                assertTrue(persister.isAlive());
                assertEquals(200, persister.healthStatus());
                assertTrue(persister.log().matches("(?s).*skipped malformed message at malformed-[01] offset \\d+: .*"),
                        persister::logTail);
                Waits.until("offsets of the skipped messages committed too", WAIT,
                        () -> committedOffsets("1_malformed") == messages.size(), persister::logTail);
            }
        }
    }

    private static long committedOffsets(String group) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            return offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
