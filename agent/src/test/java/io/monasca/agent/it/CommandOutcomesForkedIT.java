package io.monasca.agent.it;

import com.sun.tools.attach.VirtualMachine;
import io.monasca.agent.control.AgentControlMBean;
import io.monasca.testkit.statsd.StatsdReceiver;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the agent's commands say and return in the cases a new user trips on (issue 20, points 1, 3, 4, 5; issue 18
 * point 6): the exit code tells timing from timing nothing yet, settings asked for are used or the agent does not
 * start, no attach signal goes to a process nobody can tell is a JVM, and long settings reach the target.
 */
class CommandOutcomesForkedIT {
    private static final Path BUILD_JDK = Path.of(System.getProperty("java.home"));

    static List<Path> jdks() {
        return Jdks.all();
    }

    /** Issue 20.1: attached, but no loaded class matches: exit 6 and one line saying what happens next. */
    @ParameterizedTest
    @MethodSource("jdks")
    void attachThatTimesNothingYetSaysSoByItsExitCode(Path jdk) throws Exception {
        try (ControlCommandsForkedIT.Target app = new ControlCommandsForkedIT.Target(new ForkedApp(jdk).withoutAgent())) {
            AgentCommand misspelt = AgentCommand.run(jdk, "attach", app.pid,
                    "profile=none,statsd.port=9,op.calc=io.monasca.testapp.Work[proces]");
            assertEquals(6, misspelt.exitCode(), misspelt::all);
            assertTrue(misspelt.stdout().contains("instrumented: 0 methods")
                    && misspelt.stdout().contains("unmatched:    1 target(s)"), misspelt::all);
            assertTrue(misspelt.stderr().contains("attach: nothing is timed yet; timing starts when a class matching"
                    + " calc=[io.monasca.testapp.Work[proces]] loads"), misspelt::all);
            AgentCommand detach = AgentCommand.run(jdk, "detach", app.pid);
            assertEquals(0, detach.exitCode(), detach::all);

            // the default profile on a JVM that is no persister: the same
            AgentCommand defaults = AgentCommand.run(jdk, "attach", app.pid, "statsd.port=9");
            assertEquals(6, defaults.exitCode(), defaults::all);
            assertTrue(defaults.stderr().contains("nothing is timed yet") && defaults.stderr().contains("MetricHandler"),
                    defaults::all);
            app.call(1);
            app.stop();
        }
    }

    /**
     * Issue 18.6: settings longer than the attach protocol carries (1024 bytes with the jar's path, JDK 17) reach the
     * target through a file, which is gone afterwards. The command runs on the build JDK (17) against each JDK: the
     * smaller limit of the two applies.
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void longSettingsReachTheTarget(Path jdk) throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver();
             ControlCommandsForkedIT.Target app = new ControlCommandsForkedIT.Target(new ForkedApp(jdk).withoutAgent())) {
            String absent = IntStream.rangeClosed(1, 50)
                    .mapToObj(i -> String.format("io.monasca.testapp.absent.SomeLongTypeName%02d[someMethodName]", i))
                    .collect(Collectors.joining(";"));
            String settings = "profile=none,interval=200ms,statsd.host=127.0.0.1,statsd.port=" + statsd.port()
                    + ",op.calc=io.monasca.testapp.Work[count];" + absent;
            assertTrue(settings.length() > 3000, "longer than either JDK's v1 limit: " + settings.length());
            AgentCommand attach = AgentCommand.run(BUILD_JDK, "attach", app.pid, settings);
            assertEquals(0, attach.exitCode(), attach::all);
            assertTrue(attach.stdout().contains("instrumented: 1 method")
                    && attach.stdout().contains("SomeLongTypeName50[someMethodName]")
                    && attach.stdout().contains("unmatched:    50 target(s)"), attach::all);
            app.call(3);
            statsd.awaitLines(l -> AgentForkedIT.sumInstance(statsd, "calc.completed") == 3, Duration.ofSeconds(10));
            try (Stream<Path> left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
                assertEquals(List.of(), left.filter(f -> f.getFileName().toString()
                        .startsWith("monasca-agent-attach-" + app.pid + "-")).toList(), "settings file left behind");
            }
            String log = app.stop();
            assertFalse(log.contains("[monasca-agent] WARN config") || log.contains("[monasca-agent] ERROR"), log);
        }
    }

    /** Issue 20.5: refused settings are listed as what is wrong, not as what the agent would have done. */
    @Test
    void refusedSettingsSayOneThing() throws Exception {
        try (ControlCommandsForkedIT.Target app = new ControlCommandsForkedIT.Target(new ForkedApp(BUILD_JDK).withoutAgent())) {
            AgentCommand bad = AgentCommand.run(BUILD_JDK, "attach", app.pid,
                    "statsd.port=abc,nosuchkey=1,op.calc=not a target,dimensions=_bad:1,interval=soon");
            assertEquals(2, bad.exitCode(), bad::all);
            assertTrue(bad.stderr().contains("nothing was started and process " + app.pid + " was not touched")
                    && bad.stderr().contains("key 'statsd.port' = 'abc' (from agent argument): not a whole number")
                    && bad.stderr().contains("unknown key 'nosuchkey'") && bad.stderr().contains("(known: "), bad::all);
            for (String outcome : List.of("using", "ignored", "skipped")) {
                assertFalse(bad.stderr().contains(outcome), () -> "'" + outcome + "' in a refusal: " + bad.all());
            }
            app.call(1);
            assertEquals("", app.stop());
        }
    }

    /**
     * Issue 20.3: root attaches to another user's JVM naming a config file that user cannot read. The agent does not
     * start on the defaults in its place; the command says why, with the file's owner and mode.
     */
    @Test
    void aConfigFileTheTargetCannotReadStopsTheAgent(@TempDir Path dir) throws Exception {
        String user = OtherUser.require();
        dir.toFile().setExecutable(true, false);
        dir.toFile().setReadable(true, false);
        Path config = dir.resolve("agent.properties");
        Files.writeString(config, "profile=none\nop.calc=io.monasca.testapp.Work[count]\nstatsd.port=9\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        try (ControlCommandsForkedIT.Target app = new ControlCommandsForkedIT.Target(
                new ForkedApp(BUILD_JDK).withoutAgent().asUser(user))) {
            AgentCommand attach = AgentCommand.run(BUILD_JDK, "attach", app.pid, "config=" + config);
            assertEquals(1, attach.exitCode(), attach::all);
            assertTrue(attach.stderr().contains("the agent did not start in process " + app.pid)
                    && attach.stderr().contains("cannot read the file as user " + user)
                    && attach.stderr().contains("owner root") && attach.stderr().contains("mode rw-------"), attach::all);
            assertFalse(attach.stdout().contains("started the agent"), attach::all);

            AgentCommand status = AgentCommand.run(BUILD_JDK, "status", app.pid);
            assertEquals(3, status.exitCode(), status::all);
            assertTrue(status.stderr().contains("failed: key 'config'"), status::all);

            // readable now: the same attach starts the agent on exactly those settings
            Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
            AgentCommand again = AgentCommand.run(BUILD_JDK, "attach", app.pid, "config=" + config);
            assertEquals(0, again.exitCode(), again::all);
            assertTrue(again.stdout().contains("instrumented: 1 method") && again.stdout().contains("localhost:9"),
                    again::all);
            app.call(1);
            String log = app.stop();
            assertTrue(log.contains("[monasca-agent] ERROR the agent did not start: key 'config' = '" + config + "'"), log);
            assertEquals(1, log.lines().filter(l -> l.contains("[monasca-agent] INFO started")).count(), log);
        }
    }

    /**
     * Issue 20.4: a process whose memory map this command cannot read, and nothing else readable shows a JVM (here a
     * python process of another user that made itself non-dumpable): refused at once, exit 5, no attach signal sent
     * (the JDK's signal, SIGQUIT, would end it).
     */
    @Test
    void noAttachSignalToAProcessNobodyCanTellIsAJvm() throws Exception {
        String user = OtherUser.require();
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "needs /usr/bin/python3 (Debian's, installed by run-tests.sh)");
        Process hidden = new ProcessBuilder(OtherUser.as(user, python.toString(), "-c", "import ctypes, time;"
                + " ctypes.CDLL(None).prctl(4, 0, 0, 0, 0); print('READY', flush=True); time.sleep(120)")).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(hidden.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("READY", out.readLine()); // PR_SET_DUMPABLE 0: /proc/<pid>/maps and exe unreadable
            String pid = Long.toString(hidden.pid());
            long started = System.nanoTime();
            AgentCommand attach = AgentCommand.runAs(user, BUILD_JDK, "attach", pid);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(5, attach.exitCode(), attach::all);
            assertTrue(attach.stderr().contains("cannot tell whether process " + pid)
                    && attach.stderr().contains("No attach signal was sent"), attach::all);
            assertTrue(millis < 8_000, "took " + millis + " ms: the JDK's attach waits 10.5 s");
            Thread.sleep(300);
            assertTrue(hidden.isAlive(), "the process was harmed");
        } finally {
            hidden.destroyForcibly();
        }
    }

    /** Issue 20.5: JVMs started with -XX:+DisableAttachMechanism run all the same: list shows them, marked. */
    @Test
    void listShowsTheJvmsThatRefuseAttach() throws Exception {
        try (ControlCommandsForkedIT.Target locked = new ControlCommandsForkedIT.Target(
                new ForkedApp(BUILD_JDK).withoutAgent().jvm("-XX:+DisableAttachMechanism"))) {
            AgentCommand list = AgentCommand.run(BUILD_JDK, "list");
            assertEquals(0, list.exitCode(), list::all);
            String line = list.stdout().lines().filter(l -> l.startsWith(locked.pid + " ")).findFirst().orElse("");
            assertTrue(line.contains("no attach (-XX:+DisableAttachMechanism)")
                    && line.contains("io.monasca.testapp.TestApp wait"), list::all);
            locked.call(1);
            assertEquals("", locked.stop());
        }
    }

    /**
     * Issue 20.5: after detach the MBean stays and says so (a second detach over JMX is answered, not an
     * InstanceNotFoundException), and the timing property is gone with the timing. The JVM's local JMX connector,
     * started by the first command, stays for the JVM's life, as operating.md says.
     */
    @Test
    void afterDetachTheMBeanAndThePropertiesSaySo() throws Exception {
        try (ControlCommandsForkedIT.Target app = new ControlCommandsForkedIT.Target(new ForkedApp(BUILD_JDK).withoutAgent())) {
            AgentCommand attach = AgentCommand.run(BUILD_JDK, "attach", app.pid,
                    "profile=none,statsd.port=9,op.calc=io.monasca.testapp.Work[count]");
            assertEquals(0, attach.exitCode(), attach::all);
            AgentCommand detach = AgentCommand.run(BUILD_JDK, "detach", app.pid);
            assertEquals(0, detach.exitCode(), detach::all);

            VirtualMachine vm = VirtualMachine.attach(app.pid);
            try {
                Properties properties = vm.getSystemProperties();
                assertEquals("detached", properties.getProperty("io.monasca.agent.state"));
                assertNull(properties.getProperty("io.monasca.agent.timing"), properties::toString);
                String url = vm.getAgentProperties().getProperty("com.sun.management.jmxremote.localConnectorAddress");
                assertTrue(url != null, "the local JMX connector the commands started is still there");
                try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(url))) {
                    AgentControlMBean agent = JMX.newMBeanProxy(jmx.getMBeanServerConnection(),
                            new ObjectName("io.monasca.agent:type=Agent"), AgentControlMBean.class);
                    assertEquals("detached", agent.getState());
                    assertEquals("the agent is not running (already detached)", agent.detach());
                    assertFalse(agent.isEnabled());
                    assertTrue(agent.enable().startsWith("the agent is detached"));
                    assertEquals(0, agent.getInstrumentedMethodNames().length);
                }
                assertNull(vm.getSystemProperties().getProperty("io.monasca.agent.timing"));
            } finally {
                vm.detach();
            }
            assertTrue(io.monasca.agent.DocsFiles.read("docs/operating.md").replaceAll("\\s+", " ").contains(
                    "the JVM's local JMX connector stays enabled for the rest of the JVM's life"));
            app.call(1);
            app.stop();
        }
    }
}
