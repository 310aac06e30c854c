package io.monasca.sample.persister.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.monasca.testkit.http.FaultProxy;
import io.monasca.testkit.http.FaultProxy.Fault;
import io.monasca.testkit.influx.InfluxServer;
import io.monasca.testkit.kafka.KafkaBrokerProcess;

/**
 * The persister killed with SIGKILL at random points of its work, N times in one run, and restarted at once each
 * time, while metrics keep being produced; the long run mixes in Kafka broker restarts (SIGTERM and SIGKILL) and
 * InfluxDB down, answering 503 and 500, answering later than the persister waits, and refusing connections. At the
 * end every produced metric must be stored: distinct points in InfluxDB == produced (duplicates allowed).
 *
 * <p>The CI run has 3 kills. The long run ({@code mvn -B verify -pl sample-persister -P reliability-long}, or
 * {@code -Dreliability.long=true}) has 10 kills and the other faults. {@code -Dreliability.kills=N} changes the
 * number of kills, {@code -Dreliability.seed=S} repeats a run's order and timing of events. The figures are printed
 * and appended to {@code sample-persister/target/reliability-figures.txt}.
 */
class ReliabilityRunIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String TOPIC = "reliability";

    private enum Event {
        PERSISTER_KILL, BROKER_RESTART, BROKER_KILL, INFLUX_DOWN, INFLUX_503, INFLUX_500, INFLUX_LATE, INFLUX_REFUSED
    }

    @TempDir
    Path dir;

    @Test
    void everyProducedMetricIsStoredThroughRandomKillsAndFaults() throws Exception {
        boolean longRun = Boolean.getBoolean("reliability.long");
        int kills = Integer.getInteger("reliability.kills", longRun ? 10 : 3);
        long seed = Long.getLong("reliability.seed", System.currentTimeMillis());
        Random random = new Random(seed);
        List<Event> events = new ArrayList<>(Collections.nCopies(kills, Event.PERSISTER_KILL));
        if (longRun) {
            events.addAll(List.of(Event.BROKER_RESTART, Event.BROKER_KILL, Event.INFLUX_DOWN, Event.INFLUX_503,
                    Event.INFLUX_500, Event.INFLUX_LATE, Event.INFLUX_REFUSED));
        }
        Collections.shuffle(events, random);
        Figures figures = new Figures((longRun ? "long run" : "CI run") + ", seed " + seed + ", events " + events);

        try (KafkaBrokerProcess broker = KafkaBrokerProcess.started();
             InfluxServer influx = InfluxServer.started();
             FaultProxy proxy = FaultProxy.to(influx.url())) {
            influx.createDatabase("mon");
            broker.createTopic(TOPIC, 4);
            // Small batches, so that a kill finds some written and not yet committed, some read and not yet written.
            Path config = Configs.write(dir, TOPIC, broker.bootstrapServers(), proxy.url(), "mon", 2, 100, 1, "",
                    "  writeTimeout: 2\n");
            Configs.shortSessions(config, 3000, 1000);
            Path log = dir.resolve("persister.log");
            PersisterProcess persister = PersisterProcess.start(config, log, List.of());
            try (SteadyProducer producer = SteadyProducer.started(broker.bootstrapServers(), TOPIC)) {
                producer.awaitProgress("the first points", WAIT, () -> influx.count("mon", "*"), persister::logTail);
                int killed = 0;
                for (Event event : events) {
                    Thread.sleep(random.nextInt(3000)); // a random point of a persister that is storing again
                    Duration outage = Duration.ofMillis(2000 + random.nextInt(3000));
                    switch (event) {
                        case PERSISTER_KILL -> {
                            assertEquals(137, persister.kill(), "exit status of a SIGKILL");
                            killed++;
                            persister = PersisterProcess.start(config, log, List.of());
                        }
                        case BROKER_RESTART -> {
                            assertEquals(143, broker.stop(), "the broker's exit status after SIGTERM");
                            Thread.sleep(outage.toMillis());
                            broker.start();
                        }
                        case BROKER_KILL -> {
                            assertEquals(137, broker.kill(), "the broker's exit status after SIGKILL");
                            Thread.sleep(outage.toMillis());
                            broker.start();
                        }
                        case INFLUX_DOWN -> {
                            influx.stop();
                            Thread.sleep(outage.toMillis());
                            influx.start();
                        }
                        case INFLUX_503 -> fault(proxy, Fault.answer(503, "{\"error\":\"overloaded\"}"), outage);
                        case INFLUX_500 -> fault(proxy, Fault.answer(500, "{\"error\":\"engine error\"}"), outage);
                        case INFLUX_LATE -> fault(proxy, Fault.delay(Duration.ofSeconds(3)), outage);
                        case INFLUX_REFUSED -> fault(proxy, Fault.refuse(), outage);
                        default -> throw new IllegalStateException(event.name());
                    }
                    PersisterProcess current = persister;
                    producer.awaitProgress("points stored after " + event, WAIT, () -> influx.count("mon", "*"),
                            current::logTail);
                }

                int produced = producer.stop();
                PersisterProcess last = persister;
                Waits.until("all " + produced + " points", WAIT, () -> influx.count("mon", "*") == produced,
                        last::logTail);
                long accepted = proxy.linesAnsweredOk();
                figures.put("persister kills", killed).put("produced", produced).put("stored distinct", produced)
                        .put("points accepted by InfluxDB", accepted).put("duplicates", accepted - produced)
                        .put("lost", 0).record();
                assertEquals(kills, killed);
                assertTrue(last.isAlive(), last::logTail);
                assertEquals(200, last.healthStatus());
                assertFalse(last.log().contains("consumer thread failed"), last::logTail);
            } finally {
                persister.close();
            }
        }
    }

    private static void fault(FaultProxy proxy, Fault fault, Duration outage) throws InterruptedException {
        proxy.set(fault);
        Thread.sleep(outage.toMillis());
        proxy.set(Fault.passThrough());
    }
}
