package io.monasca.agent.it;

import io.monasca.testkit.statsd.DaemonAggregator;
import io.monasca.testkit.statsd.StatsdLine;
import io.monasca.testkit.statsd.StatsdReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent under the conditions production brings, in forked JVMs with the shipped jar: thread and class-loader
 * churn, long runs, pathological targets and methods, several JVMs behind one daemon, hostile names, and no socket
 * anyone could talk to. Each test prints the figures docs/reliability.md quotes ({@code FIGURE ...}).
 * {@code -Dreliability.long=true} runs the long sizes (10^9 calls, 100,000 threads).
 */
class ReliabilityForkedIT {
    static final boolean LONG = Boolean.getBoolean("reliability.long");
    private static final String P = "monasca.persister.";

    static List<Path> jdks() {
        return Jdks.all();
    }

    static void figure(String name, Object value) {
        System.out.println("FIGURE " + name + " = " + value);
    }

    /** Values printed as {@code <prefix> <label> <value>}, in order. */
    static List<Long> printed(ForkedApp.Result r, String prefix) {
        return r.stdout().stream().filter(l -> l.startsWith(prefix + " ")).map(l -> Long.parseLong(l.split(" ")[2]))
                .toList();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void threadPerTaskChurnStaysExactAndBounded(Path jdk) throws Exception {
        int threads = LONG ? 100_000 : 20_000;
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            ForkedApp.Result r = new ForkedApp(jdk).agent("profile=none,interval=200ms,per-thread.max=64,statsd.port="
                    + statsd.port() + ",op.calc=io.monasca.testapp.Work[count]").jvm("-Didle=500").runToTheEnd(statsd, "threads",
                    Integer.toString(threads));
            assertEquals(threads, AgentForkedIT.sumInstance(statsd, "calc.received"));
            assertEquals(threads, AgentForkedIT.sumInstance(statsd, "calc.completed"));
            Set<String> names = statsd.lines(P + "calc.thread.completed", Map.of()).stream()
                    .map(l -> l.dimensions().get("thread")).collect(Collectors.toCollection(TreeSet::new));
            assertTrue(names.size() <= 65 && names.contains("other"), names::toString);
            List<Long> heap = printed(r, "HEAP");
            List<Long> export = printed(r, "EXPORT-MICROS");
            figure(jdk.getFileName() + " threads " + threads + ": distinct thread series", names.size());
            figure(jdk.getFileName() + " threads: heap after GC at each quarter (bytes)", heap);
            figure(jdk.getFileName() + " threads: last export at each quarter (us)", export);
            assertTrue(heap.get(heap.size() - 1) - heap.get(0) < 8 << 20, heap::toString);
            assertTrue(export.get(export.size() - 1) < 50_000, export::toString);
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void classLoaderChurnLeavesNoLoaderBehind(Path jdk) throws Exception {
        int loaders = LONG ? 20_000 : 2_000;
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            ForkedApp.Result r = new ForkedApp(jdk).agent("profile=none,interval=200ms,statsd.port=" + statsd.port()
                    + ",op.calc=io.monasca.testapp.Work[count]").runToTheEnd(statsd, "loaders", Integer.toString(loaders));
            assertEquals(loaders, AgentForkedIT.sumInstance(statsd, "calc.completed"));
            assertTrue(r.stdout().contains("LOADERS-ALIVE 0"), r::toString);
            List<Long> heap = printed(r, "HEAP");
            figure(jdk.getFileName() + " loaders " + loaders + ": heap after GC at each quarter (bytes)", heap);
            assertTrue(heap.get(heap.size() - 1) - heap.get(0) < 4 << 20, heap::toString);
        }
    }

    @Test
    void longRunCountsEveryCall() throws Exception {
        long calls = LONG ? 1_000_000_000L : 100_000_000L;
        Path jdk = Path.of(System.getProperty("java.home"));
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            ForkedApp.Result r = new ForkedApp(jdk).agent("profile=none,interval=1s,statsd.port=" + statsd.port()
                    + ",op.calc=io.monasca.testapp.Work[count]").runToTheEnd(statsd, "spin-threads", "2", Long.toString(calls));
            assertEquals(calls, (long) AgentForkedIT.sumInstance(statsd, "calc.received"));
            assertEquals(calls, (long) AgentForkedIT.sumInstance(statsd, "calc.completed"));
            List<Long> heap = printed(r, "HEAP");
            List<Integer> seriesPerInterval = statsd.linesPerDatagram().stream().map(List::size).distinct().toList();
            figure("long run " + calls + " calls on 2 threads: " + r.stdout().stream().filter(l -> l.startsWith("CALLS"))
                    .findFirst().orElse(""), "");
            figure("long run: heap after GC samples (bytes) min/max", heap.stream().mapToLong(Long::longValue).min()
                    .orElse(0) + " / " + heap.stream().mapToLong(Long::longValue).max().orElse(0));
            figure("long run: lines per datagram seen", seriesPerInterval);
            assertTrue(heap.stream().skip(1).mapToLong(Long::longValue).max().orElse(0)
                    - heap.stream().skip(1).mapToLong(Long::longValue).min().orElse(0) < 8 << 20, heap::toString);
        }
    }

    /**
     * {@code Type[*]} on a class with every kind of method: static, synchronized, implementing an abstract one,
     * behind a bridge, native, throwing checked exceptions and Errors, returning a lambda, running across intervals.
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void everyKindOfMethod(Path jdk) throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            ForkedApp.Result r = new ForkedApp(jdk).agent("profile=none,interval=200ms,statsd.port=" + statsd.port()
                    + ",op.kinds=io.monasca.testapp.Kinds[*],op.dflt=io.monasca.testapp.WithDefault[defaultCount]")
                    .runToTheEnd(statsd, "kinds");
            assertEquals(r.expected("kinds.received"), AgentForkedIT.sumInstance(statsd, "kinds.received"));
            assertEquals(r.expected("kinds.failed"), AgentForkedIT.sumInstance(statsd, "kinds.failed"));
            assertEquals(r.expected("dflt.completed"), AgentForkedIT.sumInstance(statsd, "dflt.completed"));
            double longest = statsd.lines(P + "kinds.time.max", Map.of()).stream().mapToDouble(StatsdLine::value).max()
                    .orElse(0);
            assertTrue(longest >= 1500 && longest < 5000, "the long call's time: " + longest);
            List<String> instrumented = r.agentLog("INFO instrumented");
            assertTrue(instrumented.stream().noneMatch(l -> l.contains("nativeCount") || l.contains("lambda$")
                    || l.contains("compareTo(java.lang.Object)")), instrumented::toString);
            assertEquals(0, AgentForkedIT.sumInstance(statsd, "agent.errors"));
            assertEquals(List.of(), r.foreignStderr());
        }
    }

    /** A target that matches every class of the application: everything timed, nothing changed, no error. */
    @ParameterizedTest
    @MethodSource("jdks")
    void aTargetMatchingEveryClass(Path jdk) throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            ForkedApp.Result r = new ForkedApp(jdk).agent("profile=none,interval=200ms,statsd.port=" + statsd.port()
                    + ",op.everything=java.lang.Object[*]").runToTheEnd(statsd, "persister", "3", "50");
            // one operation: a call inside a call of it on the same thread is the outer call's (main and run)
            assertTrue(AgentForkedIT.sumInstance(statsd, "everything.received") >= 5, () -> statsd.lines().toString());
            assertEquals(0, AgentForkedIT.sumInstance(statsd, "agent.errors"));
            assertTrue(r.agentLog("INFO instrumented").size() <= 100, r::toString);
            assertEquals(List.of(), r.foreignStderr());
            assertEquals(List.of(), statsd.violations());
        }
    }

    /**
     * Several persister JVMs behind one daemon: the daemon keeps the last gauge of a series, so without an instance
     * dimension one JVM's time.max overwrites the other's; with {@code instance} each keeps its own series.
     */
    @Test
    void severalJvmsBehindOneDaemonKeepApartWithAnInstanceDimension() throws Exception {
        Path jdk = Path.of(System.getProperty("java.home"));
        assertEquals(1, timeMaxSeries(jdk, "", ""), "without instance: one series for both JVMs");
        assertEquals(2, timeMaxSeries(jdk, ",instance=a", ",instance=b"), "with instance: one series each");
    }

    private static long timeMaxSeries(Path jdk, String first, String second) throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            String common = "profile=none,interval=200ms,per-thread=false,statsd.port=" + statsd.port();
            Process a = new ForkedApp(jdk).agent(common + first + ",op.calc=io.monasca.testapp.Work[count]").start("spin", "600");
            Process b = new ForkedApp(jdk).agent(common + second + ",op.calc=io.monasca.testapp.Work[sleepMillis]").start("work");
            for (Process p : List.of(a, b)) {
                p.getOutputStream().close();
                p.getInputStream().readAllBytes();
                assertEquals(0, p.waitFor());
            }
            AgentForkedIT.awaitLastInterval(statsd, 1);
            DaemonAggregator daemon = new DaemonAggregator("node-1");
            statsd.datagrams().forEach(d -> daemon.submitDatagram(d.bytes(), 0, d.bytes().length));
            return daemon.flush().stream().filter(m -> m.name().equals(P + "calc.time.max")).count();
        }
    }

    /** Thread names with statsd and Python-literal syntax cannot add lines, dimensions or break a datagram. */
    @ParameterizedTest
    @MethodSource("jdks")
    void hostileThreadNamesCannotInject(Path jdk) throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            ForkedApp.Result r = new ForkedApp(jdk).agent("profile=none,statsd.port=" + statsd.port()
                    + ",op.calc=io.monasca.testapp.Work[count]").runToTheEnd(statsd, "hostile");
            assertEquals(List.of(), statsd.parseErrors());
            assertEquals(List.of(), statsd.violations());
            assertTrue(statsd.lines().stream().allMatch(l -> l.name().startsWith(P + "calc.") || l.name().startsWith(P + "agent.")),
                    () -> statsd.lines().toString());
            assertTrue(statsd.lines().stream().allMatch(l -> l.dimensions().keySet().stream()
                    .allMatch(k -> Set.of("service", "component", "thread").contains(k))), () -> statsd.lines().toString());
            long threads = statsd.lines(P + "calc.thread.completed", Map.of()).stream()
                    .map(l -> l.dimensions().get("thread")).distinct().count();
            assertEquals(r.expected("threads"), threads);
            assertEquals(r.expected("calc.completed"), AgentForkedIT.sumInstance(statsd, "calc.completed"));
        }
    }

    /** The agent opens no port: no TCP socket listens, and its UDP socket is connected to the daemon only. */
    @ParameterizedTest
    @MethodSource("jdks")
    void theAgentListensOnNothing(Path jdk) throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            ForkedApp.Result r = new ForkedApp(jdk).agent("profile=none,interval=200ms,statsd.host=127.0.0.1,statsd.port="
                    + statsd.port() + ",op.calc=io.monasca.testapp.Work[count]").run("sockets", "1000");
            r.assertRanCorrectly();
            List<String> sockets = r.stdout().stream().filter(l -> l.startsWith("SOCKET")).toList();
            figure(jdk.getFileName() + " sockets of a JVM with the agent", sockets);
            assertTrue(sockets.stream().anyMatch(l -> l.startsWith("SOCKET udp")), "the agent's socket is seen: " + sockets);
            assertTrue(sockets.stream().noneMatch(l -> l.contains("LISTENING") || l.contains("UNCONNECTED")),
                    sockets::toString);
            statsd.awaitLines(l -> !l.isEmpty(), Duration.ofSeconds(5));
        }
    }
}
