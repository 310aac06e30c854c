package io.monasca.agent.it;

import io.monasca.testkit.statsd.StatsdReceiver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A developer attaches the agent to a running JVM, turns timing off and on, and detaches it. */
class AttachForkedIT {

    static List<Path> jdks() {
        return Jdks.all();
    }

    private static int cli(Path jdk, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(jdk.resolve("bin/java").toString(), "-jar",
                ForkedApp.AGENT_JAR.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "CLI hung: " + out);
        System.out.println("agent CLI " + String.join(" ", args) + ": " + out);
        return p.exitValue();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void attachToggleAndDetach(Path jdk) throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            Process app = new ForkedApp(jdk).withoutAgent().jvm("-XX:+EnableDynamicAgentLoading").start("wait");
            BufferedReader stdout = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
            OutputStream stdin = app.getOutputStream();
            try {
                assertTrue(stdout.readLine().startsWith("READY"));
                call(stdin, stdout, 2); // before the agent: not counted
                String pid = Long.toString(app.pid());
                assertEquals(0, cli(jdk, "attach", pid, "profile=none,interval=200ms,statsd.port=" + statsd.port()
                        + ",op.calc=io.monasca.testapp.Work[count]"));
                call(stdin, stdout, 3);
                awaitTotal(statsd, 3);

                assertEquals(0, cli(jdk, "disable", pid));
                call(stdin, stdout, 4);
                assertEquals(0, cli(jdk, "enable", pid));
                call(stdin, stdout, 1);
                awaitTotal(statsd, 4);

                assertEquals(0, cli(jdk, "detach", pid));
                call(stdin, stdout, 5);
                Thread.sleep(600);
                assertEquals(4, AgentForkedIT.sumInstance(statsd, "calc.completed"), "calls after detach are not timed");
            } finally {
                stdin.close();
                assertTrue(app.waitFor(20, TimeUnit.SECONDS));
            }
            String stderr = new String(app.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(stderr.contains("[monasca-agent] INFO detached: instrumented classes restored"), stderr);
            assertTrue(stderr.contains("[monasca-agent] INFO timing disabled"), stderr);
        }
        assertEquals(2, cli(jdk, "frobnicate", "1"));
        assertEquals(1, cli(jdk, "attach", "999999999"));
    }

    private static void call(OutputStream stdin, BufferedReader stdout, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            stdin.write('c');
            stdin.flush();
            assertEquals("CALLED", stdout.readLine());
        }
    }

    private static void awaitTotal(StatsdReceiver statsd, int total) {
        statsd.awaitLines(lines -> AgentForkedIT.sumInstance(statsd, "calc.completed") == total, Duration.ofSeconds(10));
    }
}
