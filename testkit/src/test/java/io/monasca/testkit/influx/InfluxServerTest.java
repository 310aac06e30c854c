package io.monasca.testkit.influx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InfluxServerTest {

    @Test
    void writesQueriesAndKeepsDataAcrossARestart() {
        try (InfluxServer influx = InfluxServer.started()) {
            influx.createDatabase("mon");
            influx.write("mon", "cpu,host=a value=1 1700000000000\ncpu,host=b value=2 1700000000000\nmem value=3 1700000000000");
            assertEquals(3, influx.count("mon", "*"));
            assertEquals(2, influx.count("mon", "^cpu$"));

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
}
