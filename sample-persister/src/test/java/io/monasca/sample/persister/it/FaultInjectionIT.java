package io.monasca.sample.persister.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.monasca.testkit.http.FaultProxy;
import io.monasca.testkit.http.FaultProxy.Fault;
import io.monasca.testkit.influx.InfluxServer;
import io.monasca.testkit.kafka.KafkaBrokerProcess;

/**
 * Faults injected while messages keep arriving, with real parts: InfluxDB behind a {@link FaultProxy} that answers
 * 503 or 500, answers late, never answers, stalls in the middle of its answer or refuses connections; a Kafka broker
 * in its own process stopped and killed; malformed envelopes of every kind in heavy load. Every produced metric must
 * end up stored: InfluxDB keeps one point per series and timestamp and every envelope has its own, so
 * "distinct points == produced" means nothing was lost, and the proxy's count of points InfluxDB accepted says how
 * many were written twice.
 */
class FaultInjectionIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String EVENTS = "MetricHandler\\[metric-[0-9]+\\]\\.events-processed-meter$";
    private static final String MALFORMED = "MetricHandler\\[metric-[0-9]+\\]\\.malformed-messages-counter$";
    private static final String REJECTED = "^monasca\\.persister\\.repository\\.influxdb\\.rejected-points-counter$";

    @RegisterExtension
    static final KafkaPerClass KAFKA = new KafkaPerClass();

    @TempDir
    Path dir;

    /** A fault, and what the persister's log says when it meets it. */
    private record Case(Fault fault, String logged) {
    }

    @Test
    void influxDbAnswering5xxSlowlyOrNotAtAllLosesNothing() throws Exception {
        List<Case> cases = List.of(
                new Case(Fault.answer(503, "{\"error\":\"overloaded\"}"), "HTTP 503 {\"error\":\"overloaded\"}"),
                new Case(Fault.answer(500, "{\"error\":\"engine: internal error\"}"), "HTTP 500"),
                // Slower than the persister's writeTimeout of 2 s: InfluxDB stores the batch, the persister gives up
                // waiting and writes it again.
                new Case(Fault.delay(Duration.ofSeconds(3)), "gave no complete answer within 2000 ms"),
                new Case(Fault.hang(), "gave no complete answer within 2000 ms"),
                new Case(Fault.stallBody(), "gave no complete answer within 2000 ms"),
                new Case(Fault.refuse(), "InfluxDB unreachable at 127.0.0.1:"));
        Figures figures = new Figures("InfluxDB 503, 500, 3 s late, no answer, stalled answer, refused");
        try (InfluxServer influx = InfluxServer.started();
             FaultProxy proxy = FaultProxy.to(influx.url())) {
            influx.createDatabase("mon");
            KAFKA.createTopic("influxfaults", 2);
            Path config = Configs.write(dir, "influxfaults", KAFKA.bootstrapServers(), proxy.url(), "mon", 2, 50, 1, "",
                    "  writeTimeout: 2\n");
            try (PersisterProcess persister = PersisterProcess.start(config, dir.resolve("persister.log"), List.of());
                 SteadyProducer producer = SteadyProducer.started(KAFKA.bootstrapServers(), "influxfaults")) {
                producer.awaitProgress("the first points", WAIT, () -> influx.count("mon", "*"), persister::logTail);

                // Answering slowly but within the timeout only slows the persister down.
                proxy.set(Fault.delay(Duration.ofMillis(500)));
                long slowFrom = influx.count("mon", "*");
                Waits.until("points stored through slow answers", WAIT,
                        () -> proxy.faulted() >= 5 && influx.count("mon", "*") > slowFrom + 100, persister::logTail);
                assertFalse(persister.log().contains("failed"), persister::logTail);

                for (Case c : cases) {
                    int logFrom = persister.log().length();
                    proxy.set(c.fault());
                    Waits.until("the persister meeting " + c.fault(), WAIT,
                            () -> persister.log().substring(logFrom).contains(c.logged()), persister::logTail);
                    Thread.sleep(500); // a few more attempts with backoff
                    proxy.set(Fault.passThrough());
                    producer.awaitProgress("points stored again after " + c.fault(), WAIT,
                            () -> influx.count("mon", "*"), persister::logTail);
                }

                int produced = producer.stop();
                Waits.until("all " + produced + " points", WAIT, () -> influx.count("mon", "*") == produced,
                        persister::logTail);
                long written = proxy.linesAnsweredOk();
                figures.put("produced", produced).put("stored distinct", produced).put("points accepted", written)
                        .put("duplicates", written - produced).put("lost", 0).record();

                assertTrue(written > produced, "the late answers made the persister write some batches twice: "
                        + written + " points accepted for " + produced);
                assertTrue(persister.isAlive(), persister::logTail);
                assertEquals(200, persister.healthStatus());
                assertFalse(persister.log().contains("consumer thread failed"), persister::logTail);
            }
        }
    }

    @Test
    void aKafkaBrokerRestartedOrKilledMidRunLosesNothing() throws Exception {
        Figures figures = new Figures("Kafka broker stopped (SIGTERM) and restarted, then killed (SIGKILL) and restarted");
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.started();
             InfluxServer influx = InfluxServer.started()) {
            influx.createDatabase("mon");
            broker.createTopic("restart", 2);
            Path config = Configs.write(dir, "restart", broker.bootstrapServers(), influx.url(), "mon", 2, 50, 1, "");
            try (PersisterProcess persister = PersisterProcess.start(config, dir.resolve("persister.log"), List.of());
                 SteadyProducer producer = SteadyProducer.started(broker.bootstrapServers(), "restart")) {
                producer.awaitProgress("the first points", WAIT, () -> influx.count("mon", "*"), persister::logTail);

                assertEquals(143, broker.stop(), "exit status after SIGTERM");
                Thread.sleep(1000); // the producer buffers, the persister's consumers and commits wait
                broker.start();
                producer.awaitProgress("points produced and stored after the restart", WAIT,
                        () -> influx.count("mon", "*"), persister::logTail);

                assertEquals(137, broker.kill(), "exit status of a SIGKILL");
                Thread.sleep(1000);
                broker.start();
                producer.awaitProgress("points produced and stored after the kill", WAIT,
                        () -> influx.count("mon", "*"), persister::logTail);

                int produced = producer.stop();
                Waits.until("all " + produced + " points", WAIT, () -> influx.count("mon", "*") == produced,
                        persister::logTail);
                figures.put("produced", produced).put("stored distinct", produced).put("lost", 0).record();
                assertTrue(persister.isAlive(), persister::logTail);
                assertEquals(200, persister.healthStatus());
                assertFalse(persister.log().contains("consumer thread failed"), persister::logTail);
            }
        }
    }

    @Test
    void everyKindOfMalformedEnvelopeInHeavyLoadIsSkippedCountedAndTheRestStored() throws Exception {
        // Each kind is one message in 200 (0.5 %); with 37 kinds about 18 % of the messages are malformed.
        int total = 40_000;
        List<String> messages = new ArrayList<>(total);
        Map<String, Integer> perKind = new TreeMap<>();
        int valid = 0;
        double validSum = 0;
        for (int i = 0; i < total; i++) {
            int slot = i % 200;
            if (slot < MalformedEnvelopes.KINDS.size()) {
                MalformedEnvelopes.Kind kind = MalformedEnvelopes.KINDS.get(slot);
                messages.add(kind.apply(Envelopes.envelope(i)));
                perKind.merge(kind.name(), 1, Integer::sum);
            } else {
                messages.add(Envelopes.envelope(i));
                valid++;
                validSum += Envelopes.value(i);
            }
        }
        int malformed = total - valid;
        int stored = valid;
        Figures figures = new Figures("malformed envelopes of " + perKind.size() + " kinds in heavy load");
        try (InfluxServer influx = InfluxServer.started()) {
            influx.createDatabase("mon");
            KAFKA.createTopic("malformedload", 2);
            Path config = Configs.write(dir, "malformedload", KAFKA.bootstrapServers(), influx.url(), "mon", 2, 1000, 1,
                    "  maxMessageSize: " + MalformedEnvelopes.MAX_MESSAGE_SIZE + "\n");
            try (PersisterProcess persister = PersisterProcess.start(config, dir.resolve("persister.log"), List.of())) {
                Envelopes.send(KAFKA.bootstrapServers(), "malformedload", messages);
                Waits.until("every message read", WAIT, () -> persister.sum("meters", EVENTS) == total,
                        persister::logTail);
                Waits.until(stored + " points", WAIT, () -> influx.count("mon", "*") == stored, persister::logTail);

                assertEquals(malformed, persister.sum("counters", MALFORMED), "malformed messages counted");
                assertEquals(0, persister.sum("counters", REJECTED), "nothing malformed reached InfluxDB");
                assertEquals(validSum, influx.sum("mon", "*"), 1e-6, "the valid envelopes' values, each once");
                assertEquals(200, persister.healthStatus());
                assertTrue(persister.log().contains("skipped malformed message at malformedload-"), persister::logTail);
                figures.put("messages", total).put("malformed", malformed).put("kinds", perKind.size())
                        .put("counted malformed", malformed).put("stored", stored).record();
            }
        }
    }
}
