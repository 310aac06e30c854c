package io.monasca.agent.it;

import org.junit.jupiter.params.ParameterizedTest;

import java.net.DatagramSocket;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** No statsd, an unresolvable host, a closed port: the application runs to the end, unharmed, told once. */
class StatsdDownForkedIT {
    private static int closedPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cases() {
        return Jdks.all().stream().flatMap(jdk -> java.util.stream.Stream.of("closed-port", "unresolvable")
                .map(how -> org.junit.jupiter.params.provider.Arguments.of(jdk, how)));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("cases")
    void applicationRunsAndTheProblemIsReportedOnce(Path jdk, String how) throws Exception {
        String target = how.equals("closed-port") ? "statsd.host=127.0.0.1,statsd.port=" + closedPort()
                : "statsd.host=no-such-host.invalid";
        long start = System.nanoTime();
        ForkedApp.Result r = new ForkedApp(jdk).agent(target + ",interval=100ms,profile=none,"
                + "op.calc=io.monasca.testapp.Work[count]").run("spin", "1500");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        r.assertRanCorrectly();
        assertTrue(seconds < 20, "the JVM took " + seconds + " s to end");
        assertTrue(r.expected("calc.completed") > 1000);
        List<String> warnings = r.agentLog("WARN").stream().filter(w -> w.contains("statsd")).toList();
        if (how.equals("unresolvable")) {
            assertEquals(1, warnings.size(), r::toString);
            assertTrue(warnings.get(0).contains("cannot resolve statsd.host 'no-such-host.invalid'"), warnings.get(0));
        } else {
            assertTrue(warnings.size() <= 1, r::toString);
        }
        assertEquals(List.of(), r.foreignStderr());
    }

    /**
     * The exporter prepares its socket as soon as a method is instrumented, not at the first interval: a bad host is
     * reported while the application still starts (here the interval is an hour, and nothing has been called yet).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("io.monasca.agent.it.Jdks#all")
    void anUnresolvableHostIsReportedOnceATargetIsInstrumented(Path jdk) throws Exception {
        Process p = new ForkedApp(jdk).agent("statsd.host=no-such-host.invalid,interval=1h,profile=none,"
                + "op.calc=io.monasca.testapp.Work[count]").start("wait");
        try (java.io.BufferedReader err = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            String line;
            while ((line = err.readLine()) != null && !line.contains("cannot resolve statsd.host")) {
                assertTrue(System.nanoTime() < deadline, "no warning within 20 s");
            }
            assertTrue(line != null, "the JVM ended without the warning");
            assertTrue(p.isAlive(), "the application still runs, waiting for its first call");
        } finally {
            p.destroy();
            p.waitFor();
        }
    }
}
