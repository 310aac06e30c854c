package io.monasca.agent.it;

import io.monasca.testkit.statsd.StatsdReceiver;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * statsd faults: a daemon restarted mid-run, a socket that refuses sends, a host whose DNS answers only after
 * seconds. The application never waits for the agent's sending (its throughput stays that of a healthy run), the
 * agent recovers by itself, and the JVM's exit waits for the agent at most its bound.
 */
class StatsdFaultsForkedIT {
    private static final String OP = ",op.calc=io.monasca.testapp.Work[count]";

    static List<Path> jdks() {
        return Jdks.all();
    }

    private static long callsPerMs(ForkedApp.Result r) {
        return r.stdout().stream().filter(l -> l.startsWith("CALLS-PER-MS ")).mapToLong(l -> Long.parseLong(l.substring(13)))
                .findFirst().orElseThrow(() -> new AssertionError(r.toString()));
    }

    private static int freePort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void aRestartedDaemonGetsMetricsAgainAndHearsOfTheLoss(Path jdk) throws Exception {
        int port = freePort();
        StatsdReceiver first = new StatsdReceiver(port);
        Process app = new ForkedApp(jdk).agent("profile=none,interval=200ms,statsd.host=127.0.0.1,statsd.port=" + port + OP)
                .start("rate", "4000");
        try {
            first.awaitLines(l -> !l.isEmpty(), Duration.ofSeconds(10));
            first.close(); // the daemon goes away...
            Thread.sleep(1000);
            try (StatsdReceiver second = new StatsdReceiver(port)) { // ...and comes back on its port
                second.awaitLines(l -> AgentForkedIT.sumInstance(second, "calc.completed") > 0
                        && AgentForkedIT.sumInstance(second, "agent.send_failures") > 0, Duration.ofSeconds(10));
                ReliabilityForkedIT.figure(jdk.getFileName() + " daemon restart: datagrams lost while down, reported after",
                        AgentForkedIT.sumInstance(second, "agent.send_failures"));
            }
        } finally {
            app.getOutputStream().close();
            assertTrue(app.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(0, app.exitValue());
    }

    /**
     * Throughput of the application's timed calls with the daemon healthy, its port closed, a socket that refuses
     * sends (a broadcast address without SO_BROADCAST) and an unresolvable host: the same, within noise.
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void faultsDoNotSlowTheApplication(Path jdk) throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            long healthy = callsPerMs(run(jdk, "statsd.host=127.0.0.1,statsd.port=" + statsd.port()));
            long closed = callsPerMs(run(jdk, "statsd.host=127.0.0.1,statsd.port=" + freePort()));
            ForkedApp.Result refusingRun = run(jdk, "statsd.host=255.255.255.255,statsd.port=8125");
            long refusing = callsPerMs(refusingRun);
            long unresolvable = callsPerMs(run(jdk, "statsd.host=no-such-host.invalid"));
            ReliabilityForkedIT.figure(jdk.getFileName() + " calls/ms healthy, port closed, sends refused, unresolvable",
                    List.of(healthy, closed, refusing, unresolvable));
            for (long faulty : List.of(closed, refusing, unresolvable)) {
                assertTrue(faulty > healthy / 2, "calls/ms " + faulty + " against " + healthy + " with a healthy daemon");
            }
            List<String> refused = refusingRun.agentLog("WARN").stream().filter(w -> w.contains("sending to statsd")).toList();
            assertEquals(1, refused.size(), refusingRun::toString);
        }
    }

    private static ForkedApp.Result run(Path jdk, String target) throws Exception {
        ForkedApp.Result r = new ForkedApp(jdk).agent("profile=none,interval=100ms," + target + OP).run("rate", "2000");
        r.assertRanCorrectly();
        assertEquals(List.of(), r.foreignStderr());
        return r;
    }

    /**
     * A statsd host whose lookup takes seconds (a resolver of the JDK's resolver SPI, Java 18+): the application runs
     * at full speed meanwhile, the metrics arrive once the name resolves, and when the lookup outlasts the JVM its
     * exit waits at most the agent's bound (2 s).
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void slowDns(Path jdk, @TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(jdk.resolve("bin/javac")) && feature(jdk) >= 18,
                "the resolver SPI needs Java 18+");
        Path provider = SlowResolver.compile(jdk, dir);
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            ForkedApp.Result r = new ForkedApp(jdk).classPath(provider).jvm("-Dslowdns.millis=2000")
                    .agent("profile=none,interval=200ms,statsd.host=statsd.slow.test,statsd.port=" + statsd.port() + OP)
                    .runToTheEnd(statsd, "rate", "4000");
            assertEquals(r.expected("calc.completed"), AgentForkedIT.sumInstance(statsd, "calc.completed"),
                    "every call reaches the daemon once the name resolves");
            ForkedApp.Result healthy = new ForkedApp(jdk).agent("profile=none,interval=200ms,statsd.port=" + statsd.port()
                    + OP).run("rate", "4000");
            ReliabilityForkedIT.figure(jdk.getFileName() + " calls/ms with a 2 s DNS lookup, healthy",
                    List.of(callsPerMs(r), callsPerMs(healthy)));
            assertTrue(callsPerMs(r) > callsPerMs(healthy) / 2);
        }
        long start = System.nanoTime();
        ForkedApp.Result stuck = new ForkedApp(jdk).classPath(provider).jvm("-Dslowdns.millis=20000")
                .agent("profile=none,interval=100ms,statsd.host=statsd.slow.test,statsd.port=8125" + OP).run("rate", "500");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        stuck.assertRanCorrectly();
        ReliabilityForkedIT.figure(jdk.getFileName() + " JVM run with a 20 s DNS lookup under way at exit (s)", seconds);
        assertTrue(seconds < 10, "the JVM took " + seconds + " s to run 0.5 s of work and exit");
        assertTrue(stuck.agentLog("WARN").stream().anyMatch(w -> w.contains("the last interval was not sent within 2000 ms")),
                stuck::toString);
    }

    private static int feature(Path jdk) throws Exception {
        Process p = new ProcessBuilder(jdk.resolve("bin/java").toString(), "-version").redirectErrorStream(true).start();
        String version = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("version \"(\\d+)").matcher(version);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
