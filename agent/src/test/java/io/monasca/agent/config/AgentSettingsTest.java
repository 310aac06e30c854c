package io.monasca.agent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentSettingsTest {
    private static AgentSettings parse(String argument) {
        return AgentSettings.parse(argument, new Properties(), Map.of());
    }

    @Test
    void defaultsTimeTheJavaPersister() {
        AgentSettings s = parse(null);
        assertEquals(List.of(), s.problems);
        assertEquals("localhost", s.statsdHost);
        assertEquals(8125, s.statsdPort);
        assertEquals(AgentSettings.Format.MONASCA, s.format);
        assertEquals(20_000, s.intervalMillis);
        assertEquals("monasca.persister", s.prefix);
        assertEquals(Map.of("service", "monitoring", "component", "monasca-persister"), s.dimensions);
        assertTrue(s.perThread);
        assertEquals(64, s.perThreadMax);
        assertTrue(s.enabled);
        assertEquals("[upsert=[monasca.persister.pipeline.event.MetricHandler[process]],"
                + " flush=[monasca.persister.pipeline.event.MetricHandler[flushRepository]],"
                + " alarm_upsert=[monasca.persister.pipeline.event.AlarmStateTransitionHandler[process]],"
                + " alarm_flush=[monasca.persister.pipeline.event.AlarmStateTransitionHandler[flushRepository]]]",
                s.operations.toString());
    }

    @Test
    void itemsPerOperation() {
        AgentSettings s = AgentSettings.parse("profile=none,op.upsert=a.H[process],op.flush=a.H[flush],"
                + "op.other=a.H[other],items.upsert=size,items.flush=NONE", new Properties(),
                Map.of("MONASCA_AGENT_ITEMS_OTHER", "auto"));
        assertEquals(List.of(), s.problems);
        assertEquals(Operation.Items.SIZE, s.operation("upsert").items);
        assertEquals(Operation.Items.NONE, s.operation("flush").items);
        assertEquals(Operation.Items.AUTO, s.operation("other").items);
        assertEquals(Operation.Items.AUTO, parse(null).operation("upsert").items);
    }

    @Test
    void badItemsSettingsAreNamedAndIgnored() {
        AgentSettings s = parse("profile=none,op.upsert=a.H[process],items.upsert=all,items.upsrt=size");
        assertEquals(List.of("key 'items.upsert' = 'all' (from agent argument): not 'auto', 'size' or 'none'; using"
                + " auto", "key 'items.upsrt' (from agent argument): no operation 'upsrt' is timed; ignored"), s.problems);
        assertEquals(Operation.Items.AUTO, s.operation("upsert").items);
    }

    @Test
    void readsEveryKey() {
        AgentSettings s = parse("statsd.host=statsd.example,statsd.port=9125,statsd.format=dogstatsd,"
                + "statsd.packet-size=8000,interval=500ms,prefix=my.persister,dimensions=region:r1,cluster:c1,"
                + "per-thread=false,per-thread.max=3,enabled=false,profile=none,op.write=a.Repo[write,flush];b.C[*]");
        assertEquals(List.of(), s.problems);
        assertEquals("statsd.example", s.statsdHost);
        assertEquals(9125, s.statsdPort);
        assertEquals(AgentSettings.Format.DOGSTATSD, s.format);
        assertEquals(8000, s.packetSize);
        assertEquals(500, s.intervalMillis);
        assertEquals("my.persister", s.prefix);
        assertEquals("{service=monitoring, component=monasca-persister, region=r1, cluster=c1}", s.dimensions.toString());
        assertFalse(s.perThread);
        assertEquals(3, s.perThreadMax);
        assertFalse(s.enabled);
        assertEquals("[write=[a.Repo[write,flush], b.C[*]]]", s.operations.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "5s|5000", "1m|60000", "250ms|250", "2|2000", "1h|3600000"})
    void parsesDurations(String text, long millis) {
        assertEquals(millis, parse("interval=" + text).intervalMillis);
    }

    @Test
    void dimensionsOverrideDefaultValuesInPlace() {
        AgentSettings s = parse("dimensions=component:my-persister,zone:z1");
        assertEquals("{service=monitoring, component=my-persister, zone=z1}", s.dimensions.toString());
    }

    @Test
    void opKeysAddToAndOverrideTheProfile() {
        AgentSettings s = parse("op.flush=x.Y[write],op.extra=x.Z[run]");
        assertEquals("[x.Y[write]]", s.operation("flush").targets.toString());
        assertEquals("[x.Z[run]]", s.operation("extra").targets.toString());
        assertEquals("[monasca.persister.pipeline.event.MetricHandler[process]]",
                s.operation("upsert").targets.toString());
    }

    /** Every bad value: one message naming key, value and source; the default is used; nothing throws. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "statsd.port=abc|statsd.port|'abc'|using 8125",
            "statsd.port=70000|statsd.port|'70000'|using 8125",
            "statsd.host=bad host|statsd.host|'bad host'|using localhost",
            "statsd.format=graphite|statsd.format|'graphite'|using monasca",
            "statsd.packet-size=10|statsd.packet-size|'10'|using 1432",
            "interval=soon|interval|'soon'|using 20s",
            "interval=10ms|interval|'10ms'|using 20s",
            "interval=99999999999999999999|interval|'99999999999999999999'|using 20s",
            "interval=9999999999h|interval|'9999999999h'|using 20s",
            "prefix=_events|prefix|'_events'|using monasca.persister",
            "prefix=bad prefix!|prefix|'bad prefix!'|using monasca.persister",
            "per-thread=yes|per-thread|'yes'|using true",
            "per-thread.max=-1|per-thread.max|'-1'|using 64",
            "enabled=maybe|enabled|'maybe'|using true",
            "profile=python|profile|'python'|using monasca-java",
            "per-thread.percentiles=yes|per-thread.percentiles|'yes'|using false",
    })
    void badValueIsReportedAndDefaulted(String argument, String key, String value, String fallback) {
        AgentSettings s = parse(argument);
        assertEquals(1, s.problems.size(), s.problems.toString());
        String problem = s.problems.get(0);
        assertTrue(problem.contains("'" + key + "'") && problem.contains(value) && problem.contains("agent argument")
                && problem.contains(fallback), problem);
        AgentSettings defaults = parse(null);
        assertEquals(defaults.statsdPort, s.statsdPort);
        assertEquals(defaults.statsdHost, s.statsdHost);
        assertEquals(defaults.intervalMillis, s.intervalMillis);
        assertEquals(defaults.operations.toString(), s.operations.toString());
    }

    @Test
    void percentilesDefaultAndLabels() {
        assertEquals("[p50, p95, p99]", parse(null).percentiles.toString());
        assertFalse(parse(null).perThreadPercentiles);
        AgentSettings s = parse("percentiles=99.9,50,0.5,99.999,25.10,per-thread.percentiles=true");
        assertEquals(List.of(), s.problems);
        assertEquals("[p0_5, p25_1, p50, p99_9, p99_999]", s.percentiles.toString());
        assertTrue(s.perThreadPercentiles);
        assertEquals(List.of(), parse("percentiles=none").percentiles);
        assertEquals(List.of(), parse("percentiles=none").problems);
        assertEquals("[p1, p2, p3, p4, p5, p6, p7, p8]", parse("percentiles=1,2,3,4,5,6,7,8").percentiles.toString());
    }

    /** Nearest rank: the smallest r with r >= q/100 * n, at least 1. */
    @Test
    void percentileRanks() {
        List<Percentile> p = parse("percentiles=50,99.9,0.001").percentiles; // sorted: 0.001, 50, 99.9
        assertEquals(1, p.get(1).rank(1));
        assertEquals(2, p.get(1).rank(3));
        assertEquals(500_000, p.get(1).rank(1_000_000));
        assertEquals(5, p.get(2).rank(5));
        assertEquals(999, p.get(2).rank(1000));
        assertEquals(2, p.get(2).rank(2));
        assertEquals(1, p.get(0).rank(1000));
        assertEquals(2, p.get(0).rank(200_000));
        assertEquals(1, p.get(0).rank(0));
        assertEquals(4_000_000_000_000_000L, p.get(1).rank(8_000_000_000_000_000L)); // beyond whole-number arithmetic
    }

    /** Fail closed: a bad list turns percentiles off, with one message naming the key and the value. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "100", "0", "abc", "1,2,3,4,5,6,7,8,9", "50,50", "99.9,99.90", "-5", "99.9999", "50%", "1e1", ".5"})
    void badPercentilesTurnThemOff(String value) {
        AgentSettings s = parse("percentiles=" + value);
        assertEquals(List.of(), s.percentiles);
        assertEquals(1, s.problems.size(), s.problems.toString());
        assertEquals("key 'percentiles' = '" + value + "' (from agent argument): not 'none' or up to 8 distinct"
                + " percentiles above 0 and below 100 with at most 3 decimals (e.g. 50,95,99.9); using none",
                s.problems.get(0));
    }

    @Test
    void badTargetIsSkippedAndTheValidOnesKept() {
        AgentSettings s = parse("profile=none,op.write=a.Repo[write];not a target;b.C[];d.E[1x];f.G[*]");
        assertEquals("[write=[a.Repo[write], f.G[*]]]", s.operations.toString());
        assertEquals(3, s.problems.size(), s.problems.toString());
        assertTrue(s.problems.get(0).contains("'op.write'") && s.problems.get(0).contains("'not a target'"));
        assertTrue(s.problems.get(1).contains("names no method"));
        assertTrue(s.problems.get(2).contains("'1x'"));
    }

    @Test
    void unknownKeysAndBadEntriesAreReported() {
        AgentSettings s = parse("justtext,statsd.prot=9125,op.Bad-Name=a.B[c]");
        assertEquals(8125, s.statsdPort);
        assertEquals(3, s.problems.size(), s.problems.toString());
        assertTrue(s.problems.get(0).contains("justtext"));
        assertTrue(s.problems.get(1).contains("unknown key 'statsd.prot'"));
        assertTrue(s.problems.get(2).contains("unknown key 'op.Bad-Name'"));
    }

    @Test
    void badDimensionEntryIsSkipped() {
        AgentSettings s = parse("dimensions=region:r1,_private:x,noColon,bad:a=b");
        assertEquals("{service=monitoring, component=monasca-persister, region=r1}", s.dimensions.toString());
        assertEquals(3, s.problems.size(), s.problems.toString());
    }

    @Test
    void precedenceIsArgumentThenSystemPropertyThenEnvironmentThenFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, "prefix=from.file\ninterval=4s\nstatsd.port=1004\nstatsd.host=file-host\n");
        Properties system = new Properties();
        system.setProperty("monasca.agent.prefix", "from.sysprop");
        system.setProperty("monasca.agent.interval", "3s");
        system.setProperty("monasca.agent.config", file.toString());
        Map<String, String> env = Map.of(
                "MONASCA_AGENT_PREFIX", "from.env", "MONASCA_AGENT_INTERVAL", "2s",
                "MONASCA_AGENT_STATSD_PORT", "1002", "PATH", "/bin");
        AgentSettings s = AgentSettings.parse("prefix=from.argument", system, env);
        assertEquals(List.of(), s.problems);
        assertEquals("from.argument", s.prefix);
        assertEquals(3000, s.intervalMillis);
        assertEquals(1002, s.statsdPort);
        assertEquals("file-host", s.statsdHost);
    }

    @Test
    void environmentNamesMapToKeys() {
        Map<String, String> env = Map.of(
                "MONASCA_AGENT_OP_UPSERT", "a.B[c]", "MONASCA_AGENT_PER_THREAD_MAX", "5",
                "MONASCA_AGENT_STATSD_PACKET_SIZE", "1000", "MONASCA_AGENT_NOPE", "x");
        AgentSettings s = AgentSettings.parse(null, new Properties(), env);
        assertEquals("[a.B[c]]", s.operation("upsert").targets.toString());
        assertEquals(5, s.perThreadMax);
        assertEquals(1000, s.packetSize);
        assertEquals(1, s.problems.size(), s.problems.toString());
        assertTrue(s.problems.get(0).contains("MONASCA_AGENT_NOPE"));
    }

    @Test
    void unreadableConfigFileIsReported() {
        AgentSettings s = parse("config=/nonexistent/agent.properties,statsd.port=9000");
        assertEquals(9000, s.statsdPort);
        assertEquals(1, s.problems.size());
        assertTrue(s.problems.get(0).contains("/nonexistent/agent.properties"), s.problems.get(0));
        assertEquals(1, s.fatal.size(), "a config file named but not read stops the agent");
        assertTrue(s.fatal.get(0).contains("no such file"), s.fatal.get(0));
        assertTrue(parse("statsd.port=abc").fatal.isEmpty());
    }

    @Test
    void emptyOperationIsReportedAndNotTimed() {
        AgentSettings s = parse("op.upsert=");
        assertNull(s.operation("upsert"));
        assertEquals(1, s.problems.size());
        assertTrue(s.problems.get(0).contains("'op.upsert'") && s.problems.get(0).contains("is empty"));
    }

    @Test
    void longDimensionsRaiseThePacketSizeOrAreDropped() {
        String v = "v".repeat(250);
        AgentSettings raised = parse("dimensions=a:" + v + ",b:" + v + ",c:" + v + ",d:" + v + ",e:" + v + ",f:" + v);
        assertTrue(raised.packetSize > 1432 && raised.packetSize <= 8192, "packet size " + raised.packetSize);
        assertEquals(8, raised.dimensions.size());
        assertTrue(raised.problems.get(0).contains("using statsd.packet-size="), raised.problems.toString());

        StringBuilder many = new StringBuilder("dimensions=");
        for (int i = 0; i < 40; i++) {
            many.append(i == 0 ? "" : ",").append("k").append(i).append(':').append(v);
        }
        AgentSettings dropped = parse(many.toString());
        assertTrue(dropped.packetSize > 4096 && dropped.packetSize <= 8192, "packet size " + dropped.packetSize);
        assertTrue(dropped.dimensions.size() < 42 && dropped.dimensions.size() > 2);
        assertTrue(dropped.problems.stream().anyMatch(p -> p.contains("dropped")), dropped.problems.toString());
    }

    @Test
    void profileNoneWithoutOpsTimesNothing() {
        AgentSettings s = parse("profile=none");
        assertTrue(s.operations.isEmpty());
        assertNull(s.operation("upsert"));
    }

    @Test
    void instanceDimensionKeepsSeveralJvmsApart() {
        assertEquals("{service=monitoring, component=monasca-persister, instance=persister-a, region=r1}",
                parse("instance=persister-a,dimensions=region:r1").dimensions.toString());
        AgentSettings bad = parse("instance=a|b");
        assertEquals("{service=monitoring, component=monasca-persister}", bad.dimensions.toString());
        assertTrue(bad.problems.get(0).startsWith("key 'instance' = 'a|b' (from agent argument): contains one of"),
                bad.problems::toString);
        AgentSettings fromEnvironment = AgentSettings.parse(null, new Properties(), Map.of("MONASCA_AGENT_INSTANCE", "pod-0"));
        assertEquals("pod-0", fromEnvironment.dimensions.get("instance"));
    }

    @Test
    void aKeySetDifferentlyInSeveralSourcesIsNoted() {
        Properties system = new Properties();
        system.setProperty("monasca.agent.statsd.port", "9000");
        AgentSettings s = AgentSettings.parse("statsd.port=9001", system, Map.of("MONASCA_AGENT_STATSD_PORT", "9000"));
        assertEquals(9001, s.statsdPort);
        assertEquals(List.of(), s.problems);
        assertEquals(List.of("key 'statsd.port' = '9001' from agent argument overrides '9000' from system property"
                + " monasca.agent.statsd.port"), s.notes);
    }

    @Test
    void aHugeFileOrADirectoryIsNotRead(@TempDir Path dir) throws IOException {
        Path huge = dir.resolve("huge.properties");
        Files.write(huge, new byte[(int) ConfigSources.MAX_FILE_BYTES + 1]);
        AgentSettings s = parse("config=" + huge);
        assertTrue(s.problems.get(0).contains("a file of 1048577 bytes, more than the 1048576"), s.problems::toString);
        assertTrue(parse("config=" + dir).problems.get(0).contains("a directory; the agent does not start without it"));
    }

    @Test
    void theAgentItselfIsNeverATargetAndJdkTargetsAreExplained() {
        AgentSettings s = parse("profile=none,op.self=io.monasca.agent.recording.Recorder[enter],"
                + "op.tasks=java.lang.Runnable[run]");
        assertEquals("[tasks=[java.lang.Runnable[run]]]", s.operations.toString());
        assertTrue(s.problems.get(0).contains("is the agent's own code, which is never timed"), s.problems::toString);
        assertTrue(s.notes.get(0).contains("only the application's own subtypes are timed"), s.notes::toString);
    }

    @Test
    void atMost64TargetTypes() {
        StringBuilder argument = new StringBuilder("profile=none");
        for (int i = 0; i < 70; i++) {
            argument.append(",op.t").append(i).append("=a.T").append(i).append("[run]");
        }
        AgentSettings s = parse(argument.toString());
        assertEquals(64, s.operations.size());
        assertEquals(6, s.problems.size());
        assertTrue(s.problems.get(0).contains("beyond the 64 distinct target types"), s.problems::toString);
    }
}
