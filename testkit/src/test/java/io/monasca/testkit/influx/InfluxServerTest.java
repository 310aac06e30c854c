package io.monasca.testkit.influx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

class InfluxServerTest {

    @Test
    void writesQueriesAndKeepsDataAcrossARestart() {
        try (InfluxServer influx = InfluxServer.started()) {
            influx.createDatabase("mon");
            influx.write("mon", "cpu,host=a value=1 1700000000000\ncpu,host=b value=2 1700000000000\nmem value=3 1700000000000");
            assertEquals(3, influx.count("mon", "*"));
            assertEquals(2, influx.count("mon", "^cpu$"));
            assertEquals(6.0, influx.sum("mon", "*"));

            influx.stop();
            assertFalse(influx.ping());
            influx.start();
            assertTrue(influx.ping());
            assertEquals(3, influx.count("mon", null));
        }
    }

    @Test
    void aQueryErrorIsThrown() {
        try (InfluxServer influx = InfluxServer.started()) {
            assertThrows(IllegalStateException.class, () -> influx.query("nosuchdb", "SELECT * FROM x"));
        }
    }

    @Test
    void withAuthenticationOnlyItsUserGetsIn() throws Exception {
        try (InfluxServer influx = InfluxServer.withAuthentication("admin", "pa'ss word")) {
            influx.start();
            influx.createDatabase("mon");
            influx.write("mon", "cpu value=1 1700000000000");
            assertEquals(1, influx.count("mon", "*"));
            HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(influx.url() + "/query?db=mon&q=SHOW%20MEASUREMENTS")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode(), anonymous.body());

            influx.stop();
            influx.start();
            assertEquals(1, influx.count("mon", "*"), "the user is kept across a restart");
        }
    }
}
