package io.monasca.perf.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvelopeFactoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void envelopesFollowTheJmeterPlan() throws Exception {
        EnvelopeFactory factory = new EnvelopeFactory(1_700_000_000_000L, "RegionOne");
        SplittableRandom random = new SplittableRandom(7);
        int admin = 0;
        int n = 20_000;
        Set<Long> timestamps = new HashSet<>();
        Set<String> tenants = new HashSet<>();
        for (int i = 0; i < n; i++) {
            JsonNode e = JSON.readTree(factory.envelope(i, random));
            JsonNode metric = e.path("metric");
            assertTrue(metric.path("name").asText().matches("metric_(00[1-9]|0[1-9][0-9]|[1-5][0-9][0-9]|600)"), metric.toString());
            JsonNode dims = metric.path("dimensions");
            assertTrue(dims.path("hostname").asText().matches("host_\\d{4}"));
            int host = Integer.parseInt(dims.path("hostname").asText().substring(5));
            assertTrue(host >= 1 && host <= 1500);
            int process = Integer.parseInt(dims.path("process").asText());
            assertTrue(process >= 1 && process <= 22);
            assertEquals("monitoring", dims.path("service").asText());
            assertTrue(metric.path("value").isNumber());
            assertTrue(metric.has("value_meta"));
            assertEquals("RegionOne", e.path("meta").path("region").asText());
            String tenant = e.path("meta").path("tenantId").asText();
            tenants.add(tenant);
            if (tenant.equals("admin")) admin++;
            else assertTrue(tenant.matches("tenant_(0[1-9]|10)"), tenant);
            assertEquals(metric.path("timestamp").asLong() / 1000, e.path("creation_time").asLong());
            timestamps.add(metric.path("timestamp").asLong());
        }
        assertEquals(n, timestamps.size(), "every message has its own timestamp");
        double share = admin / (double) n;
        assertTrue(share > 0.38 && share < 0.42, "admin share " + share);
        assertEquals(11, tenants.size(), "admin + 10 guest tenants");
    }

    @Test
    void withASeriesPoolEveryMessageBelongsToOneOfThatManySeriesWithItsOwnTimestamp() throws Exception {
        EnvelopeFactory factory = new EnvelopeFactory(1_700_000_000_000L, "RegionOne", 50);
        SplittableRandom random = new SplittableRandom(7);
        Set<String> series = new HashSet<>();
        Set<Long> timestamps = new HashSet<>();
        Set<Double> values = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            JsonNode e = JSON.readTree(factory.envelope(i, random));
            JsonNode metric = e.path("metric");
            series.add(metric.path("name").asText() + metric.path("dimensions") + e.path("meta").path("tenantId").asText());
            timestamps.add(metric.path("timestamp").asLong());
            values.add(metric.path("value").asDouble());
        }
        assertTrue(series.size() <= 50 && series.size() >= 45, series.size() + " series");
        assertEquals(5_000, timestamps.size(), "every point its own timestamp: none overwrites another in InfluxDB");
        assertTrue(values.size() > 1000, "values are still drawn per message");
    }
}
