package io.monasca.agent.it;

import io.monasca.testkit.statsd.StatsdLine;
import io.monasca.testkit.statsd.StatsdReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Configuration sources and bad configuration, seen from a forked JVM running the shipped jar. */
class ConfigForkedIT {
    private static final Path JDK = Path.of(System.getProperty("java.home"));

    /** Runs the isolated scenario (one timed call) and returns the metric prefix the agent used. */
    private static String prefixUsed(ForkedApp app, StatsdReceiver statsd) throws Exception {
        ForkedApp.Result r = app.run("isolated");
        r.assertRanCorrectly();
        List<StatsdLine> lines = statsd.awaitLines(l -> l.stream().anyMatch(x -> x.name().endsWith(".agent.errors")),
                Duration.ofSeconds(10));
        String errors = lines.stream().filter(x -> x.name().endsWith(".agent.errors")).findFirst().orElseThrow().name();
        statsd.clear();
        return errors.substring(0, errors.length() - ".agent.errors".length());
    }

    @Test
    void argumentBeatsSystemPropertyBeatsEnvironmentBeatsFile(@TempDir Path dir) throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            Path file = dir.resolve("agent.properties");
            Files.writeString(file, "profile=none\nop.calc=io.monasca.testapp.Work[count]\nprefix=from.file\n"
                    + "statsd.port=" + statsd.port() + "\n");
            String config = "config=" + file;
            assertEquals("from.argument", prefixUsed(new ForkedApp(JDK).agent(config + ",prefix=from.argument")
                    .jvm("-Dmonasca.agent.prefix=from.sysprop").env("MONASCA_AGENT_PREFIX", "from.env"), statsd));
            assertEquals("from.sysprop", prefixUsed(new ForkedApp(JDK).agent(config)
                    .jvm("-Dmonasca.agent.prefix=from.sysprop").env("MONASCA_AGENT_PREFIX", "from.env"), statsd));
            assertEquals("from.env", prefixUsed(new ForkedApp(JDK).agent(config)
                    .env("MONASCA_AGENT_PREFIX", "from.env"), statsd));
            assertEquals("from.file", prefixUsed(new ForkedApp(JDK).agent(config), statsd));
            // the file itself may be named by a system property or an environment variable
            assertEquals("from.file", prefixUsed(new ForkedApp(JDK).jvm("-Dmonasca.agent.config=" + file), statsd));
            assertEquals("from.file", prefixUsed(new ForkedApp(JDK).env("MONASCA_AGENT_CONFIG", file.toString()), statsd));
        }
    }

    /** Each bad value: the application runs normally, one clear message names the key, the rest still works. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "statsd.port=not-a-port|'statsd.port' = 'not-a-port'",
            "statsd.port=70000|'statsd.port' = '70000'",
            "interval=99999999999999999999|'interval' = '99999999999999999999'",
            "op.calc=|'op.calc'",
            "interval=soon|'interval' = 'soon'",
            "statsd.format=graphite|'statsd.format' = 'graphite'",
            "prefix=has space|'prefix' = 'has space'",
            "per-thread.max=lots|'per-thread.max' = 'lots'",
            "enabled=maybe|'enabled' = 'maybe'",
            "profile=python|'profile' = 'python'",
            "op.calc=not a target|'op.calc'",
            "nosuchkey=1|unknown key 'nosuchkey'",
            "dimensions=_bad:1|'dimensions' entry '_bad:1'",
            "statsd.host=bad host|'statsd.host' = 'bad host'",
            "statsd.packet-size=100|'statsd.packet-size' = '100'",
            "per-thread=sometimes|'per-thread' = 'sometimes'",
            "instance=a{b}|'instance' = 'a{b}'",
            "op.self=io.monasca.agent.recording.Recorder[enter]|the agent's own code",
    })
    void badConfigurationIsReportedAndTheApplicationRuns(String bad, String named) throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            String port = bad.startsWith("statsd.port") ? "" : ",statsd.port=" + statsd.port();
            ForkedApp.Result r = new ForkedApp(JDK).agent(bad + port + ",op.calc2=io.monasca.testapp.Work[count]")
                    .run("isolated");
            r.assertRanCorrectly();
            List<String> config = r.agentLog("WARN config:");
            assertEquals(1, config.size(), r::toString);
            assertTrue(config.get(0).contains(named), config.get(0));
            // the valid part still works, unless the bad value was the port itself
            if (!bad.startsWith("statsd.port") && !bad.startsWith("prefix") && !bad.startsWith("enabled")) {
                statsd.awaitLines(l -> l.stream().anyMatch(x -> x.name().endsWith("calc2.completed") && x.value() == 1),
                        Duration.ofSeconds(10));
            }
        }
    }

    /**
     * A config file that cannot be read (missing, a directory, far too big to be the agent's): the agent does not
     * start on the defaults in its place; the application runs, uninstrumented, and the log says why once.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/no/such/file.properties|cannot read the file as user",
            "/tmp|a directory",
            "HUGE|a file of 2097152 bytes",
    })
    void anUnreadableConfigFileStopsTheAgent(String file, String why, @TempDir Path dir) throws Exception {
        if (file.equals("HUGE")) {
            file = dir.resolve("huge.properties").toString();
            Files.write(Path.of(file), new byte[2 << 20]);
        }
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            ForkedApp.Result r = new ForkedApp(JDK).agent("config=" + file + ",statsd.port=" + statsd.port()
                    + ",op.calc2=io.monasca.testapp.Work[count]").run("isolated");
            r.assertRanCorrectly();
            List<String> log = r.stderr().stream().filter(l -> l.startsWith("[monasca-agent] ")).toList();
            assertEquals(1, log.size(), r::toString);
            assertTrue(log.get(0).startsWith("[monasca-agent] ERROR the agent did not start: key 'config' = '" + file
                    + "' (from agent argument): ") && log.get(0).contains(why)
                    && log.get(0).endsWith("so the application runs uninstrumented"), r::toString);
            Thread.sleep(500);
            assertEquals(List.of(), statsd.lines(), "the agent sent something");
        }
    }

    /** A key set in two sources says which one wins. */
    @Test
    void conflictingSources() throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            ForkedApp.Result r = new ForkedApp(JDK).agent("statsd.port=" + statsd.port()
                    + ",op.calc2=io.monasca.testapp.Work[count]").env("MONASCA_AGENT_STATSD_PORT", "9").run("isolated");
            r.assertRanCorrectly();
            assertTrue(r.agentLog("INFO config:").get(0).contains("key 'statsd.port' = '" + statsd.port()
                    + "' from agent argument overrides '9' from environment variable MONASCA_AGENT_STATSD_PORT"), r::toString);
            statsd.awaitLines(l -> l.stream().anyMatch(x -> x.name().endsWith("calc2.completed") && x.value() == 1),
                    Duration.ofSeconds(10));
        }
    }

    @Test
    void environmentVariablesNameOperations() throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            ForkedApp.Result r = new ForkedApp(JDK).env("MONASCA_AGENT_PROFILE", "none")
                    .env("MONASCA_AGENT_OP_CALC", "io.monasca.testapp.Work[count]")
                    .env("MONASCA_AGENT_STATSD_PORT", Integer.toString(statsd.port())).run("isolated");
            r.assertRanCorrectly();
            statsd.awaitLines(l -> l.stream().anyMatch(x -> x.name().equals("monasca.persister.calc.items") && x.value() == 9),
                    Duration.ofSeconds(10));
        }
    }
}
