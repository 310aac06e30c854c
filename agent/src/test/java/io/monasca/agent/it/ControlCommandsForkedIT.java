package io.monasca.agent.it;

import io.monasca.testkit.statsd.StatsdReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control commands against live JVMs, on every JDK of {@link Jdks}, as an operator runs them: each says what
 * actually happened in the target, its exit code says whether it did what was asked, and only {@code attach} loads
 * anything into the target (the others talk to the agent's MBean), so the target's log holds nothing else.
 */
class ControlCommandsForkedIT {
    private static final String P = "monasca.persister.";

    static List<Path> jdks() {
        return Jdks.all();
    }

    /** A JVM without the agent, running the test app's "wait" scenario: each 'c' on stdin calls Work.count. */
    static final class Target implements AutoCloseable {
        final Process process;
        final String pid;
        private final BufferedReader stdout;
        private final OutputStream stdin;

        Target(ForkedApp app) throws Exception {
            process = app.start("wait");
            pid = Long.toString(process.pid());
            stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            stdin = process.getOutputStream();
            assertTrue(stdout.readLine().startsWith("READY"));
        }

        void call(int times) throws Exception {
            for (int i = 0; i < times; i++) {
                stdin.write('c');
                stdin.flush();
                assertEquals("CALLED", stdout.readLine());
            }
        }

        /** Ends the app and returns what it wrote on stderr. */
        String stop() throws Exception {
            stdin.close();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS));
            return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private static void awaitCompleted(StatsdReceiver statsd, double total) {
        statsd.awaitLines(lines -> AgentForkedIT.sumInstance(statsd, "calc.completed") == total, Duration.ofSeconds(10));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void commandsSayWhatHappenedAndLeaveTheTargetsLogAlone(Path jdk, @TempDir Path dir) throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver(); Target app = new Target(new ForkedApp(jdk).withoutAgent())) {
            app.call(2); // before the agent: never counted

            // 1: no agent yet: enable, disable and status refuse without touching the target; detach has nothing to do
            for (String command : List.of("status", "enable", "disable")) {
                AgentCommand c = AgentCommand.run(jdk, command, app.pid);
                assertEquals(3, c.exitCode(), c::all);
                assertTrue(c.stderr().contains("the agent is not running (never attached) in process " + app.pid),
                        c::all);
            }
            AgentCommand nothing = AgentCommand.run(jdk, "detach", app.pid);
            assertEquals(0, nothing.exitCode(), nothing::all);
            assertTrue(nothing.stdout().contains("nothing to detach"), nothing::all);

            // bad settings: refused before anything reaches the target
            AgentCommand bad = AgentCommand.run(jdk, "attach", app.pid, "statsd.port=abc");
            assertEquals(2, bad.exitCode(), bad::all);
            assertTrue(bad.stderr().contains("key 'statsd.port' = 'abc'") && bad.stderr().contains("was not touched"),
                    bad::all);

            // 3: a relative config= path is the caller's, not the target's working directory
            Files.writeString(dir.resolve("timing.properties"), "profile=none\nop.calc=io.monasca.testapp.Work[count]\n"
                    + "interval=200ms\nstatsd.host=127.0.0.1\nstatsd.port=" + statsd.port() + "\n");
            AgentCommand attach = AgentCommand.run(jdk, dir, "attach", app.pid, "config=timing.properties");
            assertEquals(0, attach.exitCode(), attach::all);
            assertTrue(attach.stdout().contains("started the agent") && attach.stdout().contains("instrumented: 1 method")
                    && attach.stdout().contains("calc: io.monasca.testapp.Work.count(int) returns int")
                    && attach.stdout().contains("127.0.0.1:" + statsd.port()), attach::all);
            app.call(3);
            awaitCompleted(statsd, 3);

            // 2: a second attach is refused, saying the settings were not applied
            AgentCommand again = AgentCommand.run(jdk, "attach", app.pid, "profile=none,op.other=a.B[c]");
            assertEquals(4, again.exitCode(), again::all);
            assertTrue(again.stderr().contains("already running") && again.stderr().contains("not applied"), again::all);

            AgentCommand status = AgentCommand.run(jdk, "status", app.pid);
            assertEquals(0, status.exitCode(), status::all);
            assertTrue(status.stdout().contains("timing:       on") && status.stdout().contains("by attach")
                    && status.stdout().contains("errors:       0 of the agent's own"), status::all);
            assertTrue(status.stdout().matches("(?s).*\n  start-up:     \\d+\\.\\d ms in agentmain; [1-9]\\d* classes looked at in"
                    + " \\d+\\.\\d ms, of which 1 woven in \\d+\\.\\d ms\n.*"), status::all);

            AgentCommand off = AgentCommand.run(jdk, "disable", app.pid);
            assertTrue(off.exitCode() == 0 && off.stdout().contains("timing is now off (it was on)"), off::all);
            AgentCommand offAgain = AgentCommand.run(jdk, "disable", app.pid);
            assertTrue(offAgain.exitCode() == 0 && offAgain.stdout().contains("timing was already off"), offAgain::all);
            app.call(4); // not timed
            AgentCommand on = AgentCommand.run(jdk, "enable", app.pid);
            assertTrue(on.exitCode() == 0 && on.stdout().contains("timing is now on (it was off)"), on::all);
            app.call(1);
            awaitCompleted(statsd, 4);

            AgentCommand detach = AgentCommand.run(jdk, "detach", app.pid);
            assertTrue(detach.exitCode() == 0 && detach.stdout().contains("detached: 1 instrumented class restored"),
                    detach::all);
            AgentCommand detachAgain = AgentCommand.run(jdk, "detach", app.pid);
            assertTrue(detachAgain.exitCode() == 0 && detachAgain.stdout().contains("detached")
                    && detachAgain.stdout().contains("nothing to detach"), detachAgain::all);
            app.call(5); // original bytecode again: not timed
            Thread.sleep(500);
            assertEquals(4, AgentForkedIT.sumInstance(statsd, "calc.completed"));

            // 6: attached again with other operations: an operation never called is never sent
            statsd.clear();
            AgentCommand other = AgentCommand.run(jdk, "attach", app.pid, "profile=none,interval=200ms,statsd.host=127.0.0.1,"
                    + "statsd.port=" + statsd.port() + ",op.other=io.monasca.testapp.Work[text]");
            assertEquals(0, other.exitCode(), other::all);
            app.call(2); // count: not an operation now
            statsd.awaitLines(l -> l.stream().filter(x -> x.name().equals(P + "agent.errors")).count() >= 3,
                    Duration.ofSeconds(10));
            assertEquals(List.of(P + "agent.errors", P + "agent.send_failures"),
                    statsd.lines().stream().map(x -> x.name()).distinct().sorted().toList());

            // 5: the target's log holds the agent's lines and, per attach only, the JVM's own notices (the class-data
            // sharing one for the boot class path the jar's manifest extends; on JDK 21+ the dynamic-agent one)
            String log = app.stop();
            List<String> foreign = log.lines().filter(l -> !l.startsWith("[monasca-agent] ")).toList();
            assertTrue(foreign.stream().allMatch(l -> l.contains("Sharing is only supported for boot loader classes")
                    || l.startsWith("WARNING: ")), () -> "unexpected lines in the target's log: " + foreign);
            long dynamicAgentWarnings = foreign.stream().filter(l -> l.contains("A Java agent has been loaded dynamically")).count();
            assertTrue(dynamicAgentWarnings == 0 || dynamicAgentWarnings == 2, log); // JDK 21+: once per attach
            assertTrue(foreign.stream().filter(l -> l.contains("Sharing is only supported")).count() <= 2, log);
            assertFalse(log.contains("[monasca-agent] WARN"), log);
            assertTrue(log.contains("[monasca-agent] INFO timing is now off (it was on)"), log);
            assertTrue(log.contains("[monasca-agent] INFO detached: 1 instrumented class restored"), log);
        }
    }

    /** 7: with -javaagent the MBean answers as soon as a command asks (the command starts the JVM's JMX). */
    @ParameterizedTest
    @MethodSource("jdks")
    void statusRightAfterStartWithJavaagent(Path jdk) throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver();
             Target app = new Target(new ForkedApp(jdk).agent("profile=none,op.calc=io.monasca.testapp.Work[count],"
                     + "op.none=no.such.Type[run],statsd.port=" + statsd.port()))) { // default interval: 20 s
            AgentCommand status = AgentCommand.run(jdk, "status", app.pid);
            assertEquals(0, status.exitCode(), status::all);
            assertTrue(status.stdout().contains("by -javaagent") && status.stdout().contains("unmatched:    1 target(s)")
                    && status.stdout().contains("no.such.Type"), status::all);
            String log = app.stop();
            assertEquals(List.of(), log.lines().filter(l -> !l.startsWith("[monasca-agent] ")).toList());
        }
    }

    /** 4: processes that cannot be attached to: the cause in words, exit code 5, the process unharmed. */
    @Test
    void processesThatCannotBeAttachedTo() throws Exception {
        Path jdk = Path.of(System.getProperty("java.home"));
        AgentCommand dead = AgentCommand.run(jdk, "status", "999999999");
        assertEquals(5, dead.exitCode(), dead::all);
        assertTrue(dead.stderr().contains("there is no process 999999999"), dead::all);

        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            AgentCommand notJava = AgentCommand.run(jdk, "attach", Long.toString(sleep.pid()));
            assertEquals(5, notJava.exitCode(), notJava::all);
            assertTrue(notJava.stderr().contains("is not a Java virtual machine"), notJava::all);
            assertTrue(sleep.isAlive(), "the process was harmed");
        } finally {
            sleep.destroyForcibly();
        }

        try (Target locked = new Target(new ForkedApp(jdk).withoutAgent().jvm("-XX:+DisableAttachMechanism"))) {
            AgentCommand refused = AgentCommand.run(jdk, "attach", locked.pid);
            assertEquals(5, refused.exitCode(), refused::all);
            assertTrue(refused.stderr().contains("was started with -XX:+DisableAttachMechanism"), refused::all);
            locked.call(1);
            assertEquals("", locked.stop());
        }

        AgentCommand usage = AgentCommand.run(jdk, "frobnicate", "1");
        assertEquals(2, usage.exitCode(), usage::all);
        assertTrue(usage.stderr().contains("unknown command 'frobnicate'") && usage.stderr().contains("usage:"), usage::all);
        AgentCommand notPid = AgentCommand.run(jdk, "status", "abc");
        assertEquals(2, notPid.exitCode(), notPid::all);
    }

    /**
     * Another user's JVM: a JVM accepts attach only from its own user (or root). The command says so before trying,
     * and the JDK itself refuses too. Needs root, to run processes as another user.
     */
    @Test
    void anotherUsersProcess(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name"))
                && Files.isExecutable(Path.of("/usr/sbin/runuser")), "needs root and runuser");
        Path jdk = Path.of(System.getProperty("java.home"));
        try (Target mine = new Target(new ForkedApp(jdk).withoutAgent())) {
            Path jar = dir.resolve("monasca-persister-agent.jar"); // somewhere nobody can read it
            Files.copy(ForkedApp.AGENT_JAR, jar);
            dir.toFile().setReadable(true, false);
            dir.toFile().setExecutable(true, false);
            jar.toFile().setReadable(true, false);
            String asNobody = run("/usr/sbin/runuser", "-u", "nobody", "--", jdk.resolve("bin/java").toString(),
                    "-jar", jar.toString(), "status", mine.pid);
            assertTrue(asNobody.contains("runs as user root and this command as nobody") && asNobody.endsWith("exit 5"),
                    asNobody);
            Path probe = dir.resolve("Probe.java");
            Files.writeString(probe, "public class Probe { public static void main(String[] a) throws Exception {"
                    + " try { com.sun.tools.attach.VirtualMachine.attach(a[0]); System.out.println(\"ATTACHED\"); }"
                    + " catch (Exception e) { System.out.println(\"REFUSED \" + e); } } }");
            probe.toFile().setReadable(true, false);
            String jdkRule = run("/usr/sbin/runuser", "-u", "nobody", "--", jdk.resolve("bin/java").toString(),
                    probe.toString(), mine.pid);
            assertTrue(jdkRule.contains("REFUSED"), jdkRule);
            mine.call(1);
            assertEquals("", mine.stop());
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return output.strip() + " exit " + p.exitValue();
    }

    @Test
    void listShowsWhereTheAgentRuns() throws Exception {
        Path jdk = Path.of(System.getProperty("java.home"));
        try (StatsdReceiver statsd = new StatsdReceiver();
             Target with = new Target(new ForkedApp(jdk).agent("statsd.port=" + statsd.port()));
             Target without = new Target(new ForkedApp(jdk).withoutAgent())) {
            AgentCommand list = AgentCommand.run(jdk, "list");
            assertEquals(0, list.exitCode(), list::all);
            String withLine = list.stdout().lines().filter(l -> l.startsWith(with.pid + " ")).findFirst().orElse("");
            String withoutLine = list.stdout().lines().filter(l -> l.startsWith(without.pid + " ")).findFirst().orElse("");
            assertTrue(withLine.contains("running 0.") && withLine.contains("timing on"), list::all);
            assertTrue(withoutLine.contains("not running (never attached)"), list::all);
            assertFalse(list.stdout().contains("Exception"), list::all);
            AgentCommand version = AgentCommand.run(jdk, "version");
            assertTrue(version.exitCode() == 0 && version.stdout().startsWith("monasca-persister-agent 0."), version::all);
            assertEquals(List.of(), with.stop().lines().filter(l -> !l.startsWith("[monasca-agent] ")).toList());
        }
    }
}
