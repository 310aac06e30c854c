package io.monasca.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.monasca.perf.standin.StandInMonascaApi;
import io.monasca.perf.support.StoredStandIn;
import io.monasca.testkit.http.FaultProxy.Fault;
import io.monasca.testkit.http.FaultProxy;

/**
 * {@code perf watch --source monasca} against a Keystone or a Monasca API that fails: the stand-in behind a
 * {@link FaultProxy} answering 401, 403, 409, 500, garbage, JSON of the wrong shape, nothing at all, half an answer,
 * or refusing connections. Each must end the watch with a message that says what happened, exit status 1, and no hang
 * (every HTTP call is bounded by {@code --http-timeout}).
 */
class WatchMonascaFaultsTest {

    private static final String SECRET = "pa55-Wr0ng-and-s3cret";

    @TempDir
    Path temp;

    private StoredStandIn store;
    private StandInMonascaApi api;

    @BeforeEach
    void start() throws Exception {
        store = StoredStandIn.start();
        api = store.api().user("reader", SECRET, "monitoring", true);
    }

    @AfterEach
    void stop() {
        store.close();
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("monasca", Fault.answer(401, "{\"title\":\"Unauthorized\"}"), "answered HTTP 401 (unauthorized: wrong user, password or project"),
                Arguments.of("monasca", Fault.answer(403, "{\"title\":\"Forbidden\"}"), "answered HTTP 403 (forbidden: the user needs role monasca-user"),
                Arguments.of("monasca", Fault.answer(409, "{\"title\":\"Conflict\"}"), "answered HTTP 409 (conflict: several metrics match"),
                Arguments.of("monasca", Fault.answer(500, "{\"title\":\"Internal Server Error\"}"), "answered HTTP 500 (server error on the Monasca side)"),
                Arguments.of("monasca", Fault.answer(200, "<html><body>maintenance</body></html>"), "did not return JSON"),
                Arguments.of("monasca", Fault.answer(200, "{\"links\":[],\"elements\":\"none\"}"), "not a Monasca API answer: 'elements' is not a list"),
                Arguments.of("monasca", Fault.answer(200, "[1,2,3]"), "not a Monasca API answer: not a JSON object"),
                Arguments.of("monasca", Fault.answer(200, "{\"elements\":[{\"name\":\"x\",\"columns\":[\"timestamp\",\"sum\"]}]}"), "not a Monasca API answer: element 0 has no 'statistics' list"),
                Arguments.of("monasca", Fault.answer(200, "{\"elements\":[{\"columns\":[\"timestamp\",\"avg\"],\"statistics\":[[\"2026-01-01T00:00:00Z\",1]]}]}"), "not a Monasca API answer: element 0 has no column 'sum'"),
                Arguments.of("monasca", Fault.answer(200, "{\"elements\":[{\"columns\":[\"timestamp\",\"sum\"],\"statistics\":[[\"2026-01-01T00:00:00Z\",\"many\"]]}]}"), "not a Monasca API answer: element 0 row 0: 'sum' is not a number"),
                Arguments.of("monasca", Fault.hang(), "no answer within 1000 ms (timeout)"),
                Arguments.of("monasca", Fault.stallBody(), "no answer within 1000 ms (timeout)"),
                Arguments.of("monasca", Fault.refuse(), "cannot connect"),
                Arguments.of("keystone", Fault.answer(500, "{\"error\":{\"code\":500}}"), "Keystone POST"),
                // A server that echoes the request: the password is masked in the message.
                Arguments.of("keystone", Fault.answer(400, "{\"received\":{\"password\":\"" + SECRET + "\"}}"),
                        "{\"received\":{\"password\":\"********\"}}"),
                Arguments.of("monasca", Fault.answer(200, "<pre>password=" + SECRET + "</pre>"),
                        "did not return JSON: <pre>password=********</pre>"),
                Arguments.of("keystone", Fault.answer(201, "garbage"), "answered without an X-Subject-Token header"),
                Arguments.of("keystone", Fault.hang(), "no answer within 1000 ms (timeout)"),
                Arguments.of("keystone", Fault.stallBody(), "no answer within 1000 ms (timeout)"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("faults")
    void watchEndsWithAClearMessageAndExitStatus1(String target, Fault fault, String message) throws Exception {
        String upstream = "http://127.0.0.1:" + api.monascaUrl().getPort();
        try (FaultProxy proxy = FaultProxy.to(upstream)) {
            proxy.set(fault);
            String keystone = target.equals("keystone") ? proxy.url() + "/v3" : api.keystoneUrl().toString();
            String monasca = target.equals("monasca") ? proxy.url() + "/v2.0" : api.monascaUrl().toString();
            Path password = Files.writeString(temp.resolve("password"), SECRET + "\n");
            long start = System.nanoTime();
            PerfCliTest.Outcome o = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> PerfCliTest.perf("watch",
                    "--source", "monasca", "-n", "10", "-w", "100ms", "--timeout", "5s", "-o", temp.toString(),
                    "--http-timeout", "1s", "--os-auth-url", keystone, "--monasca-url", monasca,
                    "--os-username", "reader", "--os-password-file", password.toString(),
                    "--os-project-name", "monitoring"));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(1, o.code(), o.out() + o.err());
            assertTrue(o.err().contains("perf watch: error: monasca source: ") && o.err().contains(message), o.err());
            assertFalse(o.err().contains("Exception") || o.err().contains("\tat "), "no stack trace: " + o.err());
            assertFalse((o.out() + o.err()).contains(SECRET), "the password is never printed");
            assertTrue(seconds < 10, "bounded by --http-timeout 1s: " + seconds + " s");
        }
    }
}
