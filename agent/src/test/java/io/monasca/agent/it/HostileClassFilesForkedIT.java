package io.monasca.agent.it;

import com.sun.tools.attach.VirtualMachine;
import io.monasca.agent.control.AgentControlMBean;
import io.monasca.testkit.statsd.StatsdReceiver;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.management.JMX;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Class files nobody compiles today ({@link HostileClassFiles}: no stack map frames, values under the result after a
 * branch, subroutines, methods at the class-file limits) and javac's output for releases 8, 17 and 25, run with {@code -Xverify:all} with and without the agent,
 * by {@code -javaagent} and by attach and detach: every call returns or throws the same, every class loads, each
 * woven method's calls are counted exactly, and the methods the weaver cannot weave are left as they were, said
 * once each and never listed as instrumented. (A 16 MiB thread stack: a frame of 65,531 locals is 512 KiB, and the
 * woven call of the recorder from it must not overflow the stack, which would leave that call untimed.)
 */
class HostileClassFilesForkedIT {
    private static final String TARGET = "op.hostile=hostile.Marker[*]";

    static List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void atLoadTimeEveryClassLoadsAndBehavesAsWithoutTheAgent(Path jdk, @TempDir Path dir) throws Exception {
        List<String> classes = HostileClassFiles.write(dir, jdk);
        String classList = "-Dhostile.classes=" + String.join(",", classes);
        ForkedApp.Result plain = new ForkedApp(jdk).withoutAgent().classPath(dir).jvm("-Xverify:all", "-Xss16m", classList)
                .run("hostile-classes");
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            ForkedApp.Result woven = new ForkedApp(jdk).classPath(dir).jvm("-Xverify:all", "-Xss16m", classList)
                    .agent("profile=none,interval=60s,statsd.host=127.0.0.1,statsd.port=" + statsd.port() + "," + TARGET)
                    .runToTheEnd(statsd, "hostile-classes");
            plain.assertRanCorrectly();
            assertEquals(calls(plain), calls(woven), woven::toString);
            assertTrue(plain.stdout().stream().noneMatch(l -> l.startsWith("LOAD-FAILED")), plain::toString);

            List<String> instrumented = woven.agentLog("INFO").stream().filter(l -> l.contains("INFO instrumented "))
                    .toList();
            List<String> notWoven = woven.agentLog("WARN").stream().filter(l -> l.contains("not instrumented"))
                    .toList();
            assertUnweavableLeftAlone(instrumented, notWoven, methods(calls(plain)));
            long timedCalls = calls(plain).stream().filter(l -> !isUnweavable(l)).count();
            assertEquals(timedCalls, AgentForkedIT.sumInstance(statsd, "hostile.completed")
                    + AgentForkedIT.sumInstance(statsd, "hostile.failed"));
            assertEquals(count(plain, "threw"), AgentForkedIT.sumInstance(statsd, "hostile.failed"));
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void byAttachAndDetachEveryClassBehavesAsWithoutTheAgent(Path jdk, @TempDir Path dir) throws Exception {
        List<String> classes = HostileClassFiles.write(dir, jdk);
        String classList = "-Dhostile.classes=" + String.join(",", classes);
        List<String> expected = calls(new ForkedApp(jdk).withoutAgent().classPath(dir).jvm("-Xverify:all", "-Xss16m", classList)
                .run("hostile-classes"));
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            Process app = new ForkedApp(jdk).withoutAgent().classPath(dir)
                    .jvm("-Xverify:all", "-Xss16m", "-XX:+EnableDynamicAgentLoading", classList).start("hostile-classes", "wait");
            BufferedReader stdout = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
            OutputStream stdin = app.getOutputStream();
            try {
                assertEquals("READY", stdout.readLine());
                VirtualMachine vm = VirtualMachine.attach(Long.toString(app.pid()));
                try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()))) {
                    vm.loadAgent(ForkedApp.AGENT_JAR.toString(), "profile=none,interval=60s,statsd.host=127.0.0.1,"
                            + "statsd.port=" + statsd.port() + "," + TARGET);
                    AgentControlMBean agent = JMX.newMBeanProxy(jmx.getMBeanServerConnection(),
                            new ObjectName("io.monasca.agent:type=Agent"), AgentControlMBean.class);
                    assertUnweavableLeftAlone(Arrays.asList(agent.getInstrumentedMethodNames()),
                            Arrays.asList(agent.getNotWovenMethods()), methods(expected));
                    assertEquals(expected, callOnce(stdin, stdout), "attached");
                    String detached = agent.detach();
                    assertTrue(detached.startsWith("detached: " + (classes.size()) + " instrumented classes restored"),
                            detached);
                    assertEquals(expected, callOnce(stdin, stdout), "detached");
                } finally {
                    vm.detach();
                }
                long timedCalls = expected.stream().filter(l -> !isUnweavable(l)).count();
                statsd.awaitLines(l -> AgentForkedIT.sumInstance(statsd, "hostile.completed")
                        + AgentForkedIT.sumInstance(statsd, "hostile.failed") >= timedCalls, Duration.ofSeconds(10));
                assertEquals(timedCalls, AgentForkedIT.sumInstance(statsd, "hostile.completed")
                        + AgentForkedIT.sumInstance(statsd, "hostile.failed"));
            } finally {
                stdin.close();
                assertTrue(app.waitFor(20, TimeUnit.SECONDS));
            }
        }
    }

    /**
     * The unweavable methods are named with their reason where an operator looks (a warning, status, the MBean) and
     * are not instrumented; every method called is (helpers that are not called, such as a private recursion, may be
     * too: their calls inside a timed call are nested, so not counted).
     */
    private static void assertUnweavableLeftAlone(List<String> instrumented, List<String> notWoven,
                                                  List<String> weavable) {
        for (String method : HostileClassFiles.UNWEAVABLE) {
            assertTrue(instrumented.stream().noneMatch(l -> l.contains(method + "(")), () -> method + ": " + instrumented);
            assertTrue(notWoven.stream().anyMatch(l -> l.contains(method + "(")), () -> method + ": " + notWoven);
        }
        assertTrue(instrumented.stream().anyMatch(l -> l.contains("hostile.AtTheLimits.nearTheLimits(")),
                instrumented::toString);
        for (String method : weavable) {
            assertTrue(instrumented.stream().anyMatch(l -> l.contains(" " + method + "(")), () -> method + ": " + instrumented);
        }
        assertEquals(HostileClassFiles.UNWEAVABLE.size(), notWoven.size(), () -> String.join("\n", notWoven));
    }

    private static List<String> callOnce(OutputStream stdin, BufferedReader stdout) throws Exception {
        stdin.write('\n');
        stdin.flush();
        List<String> lines = new ArrayList<>();
        for (String line; !"CALLED".equals(line = stdout.readLine()); ) {
            lines.add(line);
        }
        return lines.stream().filter(l -> l.startsWith("CALL ")).collect(Collectors.toList());
    }

    private static List<String> calls(ForkedApp.Result r) {
        return r.stdout().stream().filter(l -> l.startsWith("CALL ")).toList();
    }

    private static long count(ForkedApp.Result r, String outcome) {
        return calls(r).stream().filter(l -> l.contains(") " + outcome + " ")).count();
    }

    /** The methods called ({@code hostile.C.m}), less the unweavable ones. */
    private static List<String> methods(List<String> calls) {
        return calls.stream().filter(l -> !isUnweavable(l)).map(l -> l.substring("CALL ".length(), l.indexOf('(')))
                .distinct().toList();
    }

    private static boolean isUnweavable(String callLine) {
        return HostileClassFiles.UNWEAVABLE.stream().anyMatch(m -> callLine.startsWith("CALL " + m + "("));
    }
}
