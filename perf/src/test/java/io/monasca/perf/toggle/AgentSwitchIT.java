package io.monasca.perf.toggle;

import io.monasca.perf.load.EnvelopeFactory;
import io.monasca.perf.load.LoadGenerator;
import io.monasca.perf.run.PersisterConfig;
import io.monasca.perf.run.PersisterProcess;
import io.monasca.perf.run.RoundPlan;
import io.monasca.perf.source.AdminSource;
import io.monasca.perf.source.Reading;
import io.monasca.perf.source.SourceException;
import io.monasca.perf.source.StatsdSource;
import io.monasca.testkit.kafka.EmbeddedKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --mode attach}'s switch against the real agent jar in a real sample persister: attached, the persister's
 * handler runs woven bytecode and the agent counts every message; detached, it runs its original bytecode again
 * and nothing is sent at all; attached again, both come back. What bytecode runs is asked of the persister's JVM
 * itself ({@link ClassBytesProbe}).
 */
class AgentSwitchIT {
    private static final String HANDLER = "io.monasca.sample.persister.pipeline.MetricHandler";
    private static final int BATCH = 5_000;

    @TempDir
    Path temp;

    @Test
    void detachRestoresTheOriginalBytecodeAndAttachWorksAgain() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); StatsdSource statsd = new StatsdSource(0, Duration.ofMillis(100), null)) {
            kafka.createTopic("metrics", 2);
            int adminPort;
            try (ServerSocket s = new ServerSocket(0)) {
                adminPort = s.getLocalPort();
            }
            Path config = PersisterConfig.write(temp, new RoundPlan(kafka.bootstrapServers(), "metrics", "1_metrics", adminPort,
                    null, null, temp.resolve("points.lp"), 2, BATCH, Duration.ofSeconds(10)));
            Path jar = Path.of(System.getProperty("sample-persister.jar"));
            String agentJar = System.getProperty("agent.jar");
            String options = "config=" + jar.getParent().resolveSibling("agent.properties") + ",statsd.host=127.0.0.1,statsd.port="
                    + statsd.port() + ",interval=200ms";
            Path probe = ClassBytesProbe.jar(temp);
            try (PersisterProcess persister = PersisterProcess.start(PersisterProcess.command(jar, config, null,
                    List.of("-Xmx256m", "-XX:+EnableDynamicAgentLoading")), temp.resolve("persister.log"));
                 LoadGenerator load = new LoadGenerator(kafka.bootstrapServers(), "metrics", 2, 2,
                         new EnvelopeFactory(System.currentTimeMillis() - 3_600_000, "RegionOne"))) {
                AdminSource admin = new AdminSource(List.of("127.0.0.1"), adminPort, Duration.ofSeconds(2));
                awaitPersisted(admin, 0, persister);
                PersisterJvm jvm = PersisterJvm.attach(persister.pid());
                AgentSwitch agent = new AgentSwitch("attach", jvm, agentJar, options);
                assertEquals("original", runs(jvm, probe), "before any agent");

                assertEquals("attached", agent.switchTo("on"));
                assertEquals("woven", runs(jvm, probe));
                load.produce(0, 2 * BATCH, 0, 1);
                awaitPersisted(admin, 2 * BATCH, persister);
                assertEquals(new Reading(2 * BATCH, 2 * BATCH), awaitStatsd(statsd, 2 * BATCH), "every message counted once");

                assertEquals("detached", agent.switchTo("off"));
                assertTrue(statsd.sync(Duration.ofSeconds(2)));
                long lines = statsd.lines();
                assertEquals("original", runs(jvm, probe), "detached: the handler's original bytecode again");
                load.produce(2 * BATCH, 2 * BATCH, 0, 2);
                awaitPersisted(admin, 4 * BATCH, persister);
                Thread.sleep(1000); // five agent intervals: an exporter left running would have sent by now
                assertTrue(statsd.sync(Duration.ofSeconds(2)));
                assertEquals(lines, statsd.lines(), "no agent at all after detach: not a line sent");

                assertEquals("attached", agent.switchTo("on"));
                assertEquals("woven", runs(jvm, probe), "attached again");
                load.produce(4 * BATCH, 2 * BATCH, 0, 3);
                awaitPersisted(admin, 6 * BATCH, persister);
                assertEquals(new Reading(4 * BATCH, 4 * BATCH), awaitStatsd(statsd, 4 * BATCH),
                        "attached again: its messages counted, the detached ones not");
                jvm.close();
                String log = Files.readString(persister.log());
                assertTrue(log.contains("detached: 2 instrumented classes restored"), log);
            }
        }
    }

    /** What the persister's handler class runs now, asked of its JVM. */
    private static String runs(PersisterJvm jvm, Path probe) throws Exception {
        jvm.loadAgent(probe.toString(), HANDLER);
        return jvm.properties().getProperty("perf.probe." + HANDLER);
    }

    private static void awaitPersisted(AdminSource admin, long persisted, PersisterProcess persister) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            assertTrue(persister.isAlive(), persister.logTail(20));
            try {
                if (admin.read().persisted() >= persisted) return;
            } catch (SourceException notUpYet) {
                // the admin API starts with the persister
            }
            Thread.sleep(100);
        }
        throw new AssertionError(persisted + " points not persisted within 60 s: " + persister.logTail(20));
    }

    private static Reading awaitStatsd(StatsdSource statsd, long received) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        Reading r = Reading.ZERO;
        while (System.nanoTime() < deadline) {
            statsd.flush();
            r = statsd.read();
            if (r.received() >= received && r.persisted() >= received) break;
            Thread.sleep(50);
        }
        Thread.sleep(500); // more intervals: a count above the expected one would show now
        statsd.flush();
        return statsd.read();
    }
}
