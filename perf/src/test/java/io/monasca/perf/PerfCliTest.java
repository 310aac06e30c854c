package io.monasca.perf;

import com.sun.net.httpserver.HttpServer;
import io.monasca.perf.support.StoredStandIn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input gets a message naming what is wrong and a non-zero exit code. */
class PerfCliTest {
    @TempDir
    Path temp;

    record Outcome(int code, String out, String err) {
    }

    static Outcome perf(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PerfCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void versionIsTheProjects() {
        Outcome o = perf("--version");
        assertEquals(0, o.code());
        assertTrue(o.out().matches("monasca-perf \\d+\\.\\d+\\.\\d+.*\\s*"), o.out());
    }

    @Test
    void noCommandIsAUsageError() {
        Outcome o = perf();
        assertEquals(2, o.code());
        assertTrue(o.err().contains("give a command: run or watch"), o.err());
    }

    @Test
    void unknownSourceIsNamed() {
        Outcome o = perf("run", "--source", "admin,prometheus");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("unknown source 'prometheus'"), o.err());
    }

    @Test
    void oneRoundCannotCompare() {
        Outcome o = perf("run", "--mode", "restart", "--rounds", "1");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("--rounds must be at least 2"), o.err());
    }

    @Test
    void anOddNumberOfRoundsIsRefused() {
        Outcome o = perf("run", "--mode", "restart", "--rounds", "3", "--agent-jar", temp.resolve("nope.jar").toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--rounds must be even (pairs of one off and one on round), got 3: use 2 or 4"), o.err());
    }

    @Test
    void aZeroDurationOrOneTooShortForAMessageIsRefused() {
        Outcome zero = perf("run", "--mode", "restart", "--rate", "1000", "--duration", "0s", "--agent-jar", temp.resolve("nope.jar").toString());
        assertEquals(2, zero.code(), zero.err());
        assertTrue(zero.err().contains("--duration must be positive, got 0 ms"), zero.err());
        Outcome tooShort = perf("run", "--mode", "restart", "--rate", "1", "--duration", "100ms", "--agent-jar", temp.resolve("nope.jar").toString());
        assertEquals(2, tooShort.code(), tooShort.err());
        assertTrue(tooShort.err().contains("--rate 1.0 x --duration 100 ms is less than one message per round"), tooShort.err());
    }

    @Test
    void runChecksItsOutputFolderBeforeStartingAnything() throws Exception {
        Path jar = Files.writeString(temp.resolve("any.jar"), "");
        Path file = Files.writeString(temp.resolve("a-file"), "");
        Outcome o = perf("run", "--agent-jar", jar.toString(), "--persister-jar", jar.toString(), "-o", file.resolve("out").toString());
        assertEquals(2, o.code(), o.out() + o.err());
        assertTrue(o.err().contains("-o/--output " + file.resolve("out") + ": cannot write the results there (" + file
                + " is a file, not a folder)"), o.err());
        assertTrue(!o.out().contains("perf run: output in"), "nothing started: " + o.out());
    }

    @Test
    void durationNeedsARate() {
        Outcome o = perf("run", "--mode", "restart", "--duration", "10s");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("--duration needs --rate"), o.err());
    }

    @Test
    void badDurationIsNamed() {
        Outcome o = perf("run", "--agent-interval", "soon");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("'soon' is not a duration"), o.err());
    }

    @Test
    void missingJarSaysHowToBuildIt() {
        Outcome o = perf("run", "--agent-jar", temp.resolve("nope.jar").toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("the agent jar is missing") && o.err().contains("mvn -B -DskipTests package"), o.err());
    }

    @Test
    void eachModeRefusesTheOtherModesOptionsAndItsOwnBadValues() {
        String[][] cases = {
                {"--mode", "toggle", "--mode must be enable, attach or restart, got 'toggle'"},
                {"--rounds", "4", "--rounds applies to --mode restart only; --mode enable runs one persister JVM in windows"},
                {"-n", "1000", "--messages applies to --mode restart only"},
                {"--mode=attach", "--settle=1s", "--settle applies to --mode restart only; --mode attach runs"},
                {"--mode=restart", "--backlog-windows=4", "--backlog-windows applies to the toggle modes (enable, attach) only"},
                {"--mode=restart", "--window=1s", "--window applies to the toggle modes"},
                {"--backlog-windows", "5", "--backlog-windows must be an even number (pairs of one off and one on window), got 5: use 4 or 6"},
                {"--rate-windows", "-2", "--rate-windows must be an even number (pairs of one off and one on window), got -2"},
                {"--window", "0s", "--window must be positive"},
                {"--window-messages", "15000", "--window-messages must be a multiple of --batch-size x --persister-threads "
                        + "(10000 x 2 = 20000), so that every window ends on full batches, got 15000"},
                {"--rate", "-1", "--rate must be 0 (half the backlog phase's throughput) or positive, got -1.0"},
                {"--precision", "0", "--precision must be a positive number of percentage points, got 0.0"},
                {"--max-time", "0s", "--max-time must be positive"},
                {"--mode=restart", "--precision=0.5", "--precision applies to the toggle modes (enable, attach) only"},
                {"--mode=restart", "--max-time=2m", "--max-time applies to the toggle modes (enable, attach) only"},
        };
        assertUsageErrors(cases);
        Outcome fixedAndAdaptive = perf("run", "--backlog-windows", "24", "--precision", "0.5", "--agent-jar", temp.resolve("nope.jar").toString());
        assertEquals(2, fixedAndAdaptive.code());
        assertTrue(fixedAndAdaptive.err().contains("--precision sizes the adaptive design; --backlog-windows 24 fixes the "
                + "number of windows: give one or the other"), fixedAndAdaptive.err());
        Outcome none = perf("run", "--backlog-windows", "0", "--rate-windows", "0", "--agent-jar", temp.resolve("nope.jar").toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("--backlog-windows and --rate-windows are both 0: nothing to measure"), none.err());
    }

    @Test
    void watchNeedsACount() {
        Outcome o = perf("watch", "-s", "127.0.0.1");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("--count"), o.err());
    }

    @Test
    void watchOfAnUnreachableHostFailsClearly() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Outcome o = perf("watch", "-s", "127.0.0.1", "-p", Integer.toString(port), "-n", "10", "-o", temp.toString());
        assertEquals(1, o.code());
        assertTrue(o.err().contains("admin source: cannot reach http://127.0.0.1:" + port + "/metrics"), o.err());
        assertTrue(o.err().contains("connection refused") && !o.err().contains("ConnectException"), o.err());
    }

    @Test
    void watchOfAnUnresolvableHostSaysSo() {
        Outcome o = perf("watch", "-s", "no.such.host.invalid", "-n", "10", "-o", temp.toString());
        assertEquals(1, o.code());
        assertTrue(o.err().contains("cannot reach http://no.such.host.invalid:8091/metrics (host name 'no.such.host.invalid' does not resolve)"), o.err());
        assertTrue(!o.err().contains("refused"), o.err());
    }

    @Test
    void watchStatsdWithItsPortBusySaysWhichOptionAndWhy() throws Exception {
        try (DatagramSocket busy = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            int port = busy.getLocalPort();
            Outcome o = perf("watch", "--source", "statsd", "--statsd-port", Integer.toString(port), "-n", "10", "-o", temp.toString());
            assertEquals(2, o.code(), o.err());
            assertTrue(o.err().contains("--statsd-bind 127.0.0.1 --statsd-port " + port + ": cannot listen on UDP 127.0.0.1:"
                    + port + ": the port is already in use"), o.err());
        }
    }

    @Test
    void watchStatsdOnAnAddressNotOfThisMachineOrUnresolvableSaysSo() {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine
        Outcome notLocal = perf("watch", "--source", "statsd", "--statsd-bind", "192.0.2.1", "-n", "10", "-o", temp.toString());
        assertEquals(2, notLocal.code(), notLocal.err());
        assertTrue(notLocal.err().contains("--statsd-bind 192.0.2.1 --statsd-port 8125: cannot listen on UDP 192.0.2.1:8125: "
                + "not an address of this machine"), notLocal.err());
        Outcome unresolvable = perf("watch", "--source", "statsd", "--statsd-bind", "no.such.host.invalid", "-n", "10", "-o", temp.toString());
        assertEquals(2, unresolvable.code(), unresolvable.err());
        assertTrue(unresolvable.err().contains("--statsd-bind no.such.host.invalid --statsd-port 8125: host name "
                + "'no.such.host.invalid' does not resolve"), unresolvable.err());
    }

    @Test
    void watchChecksItsOutputFolderBeforeWatching() throws Exception {
        HttpServer persister = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger reads = new AtomicInteger();
        persister.createContext("/metrics", exchange -> {
            // persisted grows by 100 a read: the watch would reach its target at the second read
            long count = 100L * reads.incrementAndGet();
            byte[] body = ("{\"meters\":{\"MetricHandler[metric-0].events-processed-meter\":{\"count\":" + count + "},"
                    + "\"MetricHandler[metric-0].flush-meter\":{\"count\":" + count + "}}}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        persister.start();
        try {
            Path file = Files.writeString(temp.resolve("a-file"), "");
            Outcome o = perf("watch", "-s", "127.0.0.1", "-p", Integer.toString(persister.getAddress().getPort()), "-n", "100",
                    "-w", "10ms", "-o", file.resolve("results").toString());
            assertEquals(2, o.code(), o.out() + o.err());
            assertTrue(o.err().contains("-o/--output-dir " + file.resolve("results") + ": cannot write the results there ("
                    + file + " is a file, not a folder)"), o.err());
            assertEquals(0, reads.get(), "refused before the first reading, not after the watch: " + o.out());
        } finally {
            persister.stop(0);
        }
    }

    @Test
    void watchRefusesAZeroTimeoutOrPoll() {
        for (String option : new String[]{"--timeout", "--poll"}) {
            Outcome o = perf("watch", "-n", "10", option, "0s", "-o", temp.toString());
            assertEquals(2, o.code(), option + ": " + o.err());
            assertTrue(o.err().contains(option + " must be positive, got 0 ms"), o.err());
        }
    }

    @Test
    void watchHostWithAPortPointsToDashP() {
        Outcome o = perf("watch", "-s", "persister1:8091", "-n", "10", "-o", temp.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("give the port with -p/--port") && o.err().contains("-s persister1 -p 8091"), o.err());
    }

    @Test
    void runSettingsAreCheckedBeforeAnythingStarts() {
        String[][] cases = {
                {"--poll", "0", "--poll must be positive"},
                {"--round-timeout", "0s", "--round-timeout must be positive"},
                {"--agent-interval", "50ms", "--agent-interval must be at least 100ms"},
                {"--daemon-flush", "0ms", "--daemon-flush must be positive"},
                {"--persister-heap", "lots", "--persister-heap must be a JVM heap size like 512m or 1g"},
                {"--persister-heap", "512", "--persister-heap must be a JVM heap size like 512m or 1g"},
        };
        assertUsageErrors(cases);
    }

    @Test
    void everyRangeIsCheckedBeforeAnythingStartsAndNamesTheOption() {
        // issue 20: 0 crashed with "/ by zero" (exit 1); the upper limits started Kafka and InfluxDB before the
        // persister refused them; 1500ms became 1 s and --window-messages 0 was ignored, both silently
        String[][] cases = {
                {"--batch-size", "0", "--batch-size must be from 1 to 1000000, got 0"},
                {"--persister-threads", "0", "--persister-threads must be from 1 to 256, got 0"},
                {"--persister-threads", "300", "--persister-threads must be from 1 to 256, got 300"},
                {"--batch-size", "2000000", "--batch-size must be from 1 to 1000000, got 2000000"},
                {"--producer-threads", "0", "--producer-threads must be from 1 to 64, got 0"},
                {"--max-batch-time", "2h", "--max-batch-time must be whole seconds from 1s to 1h"},
                {"--max-batch-time", "1500ms", "--max-batch-time must be whole seconds from 1s to 1h (the persister's "
                        + "maxBatchTime counts seconds), got 1500 ms"},
                {"--max-batch-time", "0s", "--max-batch-time must be whole seconds from 1s to 1h"},
                {"--persister-heap", "1k", "--persister-heap must be at least 64m"},
                {"--agent-interval", "2h", "--agent-interval must be at least 100ms and at most 1h"},
                {"--window-messages", "0", "--window-messages must be positive (leave it out to size the windows by --window), got 0"},
        };
        for (String[] c : cases) {
            Outcome o = perf("run", c[0], c[1], "-o", temp.resolve("never").toString(),
                    "--agent-jar", temp.resolve("nope.jar").toString());
            assertEquals(2, o.code(), c[0] + " " + c[1] + ": " + o.err());
            assertTrue(o.err().contains(c[2]), c[0] + " " + c[1] + ": " + o.err());
            assertTrue(!o.out().contains("perf run: output in") && !Files.exists(temp.resolve("never")), "nothing started: " + o.out());
        }
        Outcome restart = perf("run", "--mode", "restart", "--persister-threads", "0", "--agent-jar", temp.resolve("nope.jar").toString());
        assertEquals(2, restart.code(), restart.err());
        assertTrue(restart.err().contains("--persister-threads must be from 1 to 256, got 0"), restart.err());
    }

    @Test
    void aMissingAgentConfigIsSaidToBeMissingWithoutBuildAdvice() throws Exception {
        Path jar = Files.writeString(temp.resolve("any.jar"), "");
        Outcome o = perf("run", "--agent-jar", jar.toString(), "--persister-jar", jar.toString(), "--agent-config", "/nope.properties");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--agent-config /nope.properties: no such file"), o.err());
        assertTrue(!o.err().contains("mvn"), "a properties file is not built: " + o.err());
    }

    /** Each case {option, value, message}: {@code perf run option value} is exit 2 with the message. */
    private void assertUsageErrors(String[][] cases) {
        for (String[] c : cases) {
            Outcome o = perf("run", c[0], c[1], "--agent-jar", temp.resolve("nope.jar").toString());
            assertEquals(2, o.code(), c[0] + " " + c[1] + ": " + o.err());
            assertTrue(o.err().contains(c[2]), o.err());
        }
    }

    @Test
    void watchWithBadCredentialsFailsClearly() throws Exception {
        try (StoredStandIn store = StoredStandIn.start()) {
            var api = store.api().user("reader", "right", "monitoring", true);
            Path password = Files.writeString(temp.resolve("password"), "wrong\n");
            Outcome o = perf("watch", "--source", "monasca", "-n", "10", "-o", temp.toString(),
                    "--os-auth-url", api.keystoneUrl().toString(), "--os-username", "reader",
                    "--os-password-file", password.toString(), "--os-project-name", "monitoring");
            assertEquals(1, o.code());
            assertTrue(o.err().contains("HTTP 401") && o.err().contains("wrong user, password or project"), o.err());
        }
    }

    @Test
    void watchWithoutKeystoneUrlSaysWhichSettingIsMissing() {
        Outcome o = perf("watch", "--source", "monasca", "-n", "10", "-o", temp.toString(), "--os-auth-url", "");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("no Keystone URL (--os-auth-url or OS_AUTH_URL)"), o.err());
    }
}
