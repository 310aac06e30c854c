package io.monasca.agent.it;

import io.monasca.testkit.statsd.StatsdReceiver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Subtypes reached through an intermediate type whose class file nobody can read (the test app's BytesScenario: a
 * loader defining classes from bytes, serving no resources) are timed from their first call, whichever order the
 * classes load in, whatever other targets are configured, by {@code -javaagent} and by attach; a class with a method
 * of a target's name that turns out to be no target's subtype is never timed nor listed as instrumented; a Java 1.4
 * class file in that position is left untimed, said once.
 */
class BytesLoaderMatchingForkedIT {
    private static final String T = "io.monasca.testapp.bytes.";
    private static final String TARGETS = "op.base=" + T + "Base[work],op.task=" + T + "Task[work]";
    /** A target elsewhere that times every method: it used to change how other classes were matched. */
    private static final String UNRELATED_ALL = ",op.other=io.monasca.testapp.Kinds[*]";

    static List<Arguments> jdksWithAndWithoutUnrelatedTarget() {
        List<Arguments> cases = new ArrayList<>();
        for (Path jdk : Jdks.all()) {
            cases.add(Arguments.of(jdk, false));
            cases.add(Arguments.of(jdk, true));
        }
        return cases;
    }

    static List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest
    @MethodSource("jdksWithAndWithoutUnrelatedTarget")
    void subtypesFromBytesAreTimedFromTheFirstCallInEitherLoadOrder(Path jdk, boolean unrelatedAll) throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            ForkedApp.Result r = new ForkedApp(jdk).agent("profile=none,interval=200ms,statsd.port=" + statsd.port()
                    + "," + TARGETS + (unrelatedAll ? UNRELATED_ALL : "")).run("bytes", "5");
            r.assertRanCorrectly();
            AgentForkedIT.awaitLastInterval(statsd, 1);
            assertEquals(10, r.expected("base.completed"));
            assertEquals(r.expected("base.completed"), AgentForkedIT.sumInstance(statsd, "base.completed"), r::toString);
            assertEquals(r.expected("task.completed"), AgentForkedIT.sumInstance(statsd, "task.completed"), r::toString);
            assertEquals(0, AgentForkedIT.sumInstance(statsd, "agent.errors"), r::toString);

            List<String> instrumented = r.agentLog("INFO instrumented");
            assertTrue(instrumented.contains("[monasca-agent] INFO instrumented base: " + T
                    + "Sub.work(int) returns int (items = result)"), instrumented::toString);
            assertTrue(instrumented.contains("[monasca-agent] INFO instrumented task: " + T
                    + "TaskImpl.work(int) returns int (items = result)"), instrumented::toString);
            assertFalse(instrumented.stream().anyMatch(l -> l.contains("Stranger")), instrumented::toString);
            assertEquals(List.of("[monasca-agent] WARN not timed: the methods of " + T + "Sub (class-file version 48,"
                    + " before Java 5) that a target names, because its supertypes were unknown when it loaded and such"
                    + " a class file cannot name its own class to decide at run time"), r.agentLog("WARN not timed"));
            assertEquals(List.of(), r.foreignStderr());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void subtypesFromBytesAreTimedByAttach(Path jdk) throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            Process app = new ForkedApp(jdk).withoutAgent().jvm("-XX:+EnableDynamicAgentLoading").start("bytes-wait");
            BufferedReader stdout = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
            OutputStream stdin = app.getOutputStream();
            try {
                assertTrue(stdout.readLine().startsWith("READY"));
                String pid = Long.toString(app.pid());
                AgentCommand attach = AgentCommand.run(jdk, "attach", pid, "profile=none,interval=200ms,"
                        + "statsd.host=127.0.0.1,statsd.port=" + statsd.port() + "," + TARGETS + UNRELATED_ALL);
                assertEquals(0, attach.exitCode(), attach::all);
                assertTrue(attach.stdout().contains("base: " + T + "Sub.work(int) returns int")
                        && attach.stdout().contains("task: " + T + "TaskImpl.work(int) returns int"), attach::all);
                assertFalse(attach.stdout().contains("Stranger"), attach::all);

                send(stdin, stdout, 'c', 3); // the two loaders' classes, loaded before the attach
                send(stdin, stdout, 'n', 1); // a new loader's, loaded bottom-up while attached
                statsd.awaitLines(l -> AgentForkedIT.sumInstance(statsd, "base.completed") == 7
                        && AgentForkedIT.sumInstance(statsd, "task.completed") == 7, Duration.ofSeconds(10));
                Thread.sleep(500);
                assertEquals(7, AgentForkedIT.sumInstance(statsd, "base.completed"));
                assertEquals(7, AgentForkedIT.sumInstance(statsd, "task.completed"));

                AgentCommand status = AgentCommand.run(jdk, "status", pid);
                assertEquals(0, status.exitCode(), status::all);
                assertFalse(status.stdout().contains("Stranger"), status::all);
                assertTrue(status.stdout().contains("errors:       0 of the agent's own"), status::all);

                AgentCommand detach = AgentCommand.run(jdk, "detach", pid);
                assertEquals(0, detach.exitCode(), detach::all);
                send(stdin, stdout, 'c', 1); // the original bytecode: not counted
                send(stdin, stdout, 'n', 1);
                Thread.sleep(500);
                assertEquals(7, AgentForkedIT.sumInstance(statsd, "base.completed"));
            } finally {
                stdin.close();
                assertTrue(app.waitFor(20, TimeUnit.SECONDS));
            }
            assertEquals(0, app.exitValue());
        }
    }

    private static void send(OutputStream stdin, BufferedReader stdout, char command, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            stdin.write(command);
            stdin.flush();
            assertEquals("CALLED", stdout.readLine());
        }
    }
}
