package io.monasca.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.monasca.testkit.influx.InfluxServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short {@code perf run} with everything real: the embedded Kafka broker, the sample persister's jar in child
 * JVMs, the agent jar, InfluxDB when installed, the statsd listener and the stand-in Monasca API fed by what the
 * agent sent. The report's numbers must agree across sources and with the database.
 */
class PerfRunIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MESSAGES = 20_000;

    @TempDir
    Path temp;

    @Test
    void shortRunAgreesAcrossSourcesAndWithTheDatabase() throws Exception {
        Path out = temp.resolve("run");
        PerfCliTest.Outcome o = PerfCliTest.perf("run", "--mode", "restart", "--rounds", "2", "--warmup", "false", "--settle", "500ms", "-n", Integer.toString(MESSAGES),
                "--batch-size", "5000", "-o", out.toString());
        assertEquals(0, o.code(), o.out() + o.err());
        assertTrue(o.out().contains("cross-checks: all sources agree"), o.out());
        assertTrue(o.out().contains("received") && o.out().contains("persisted"), "progress lines: " + o.out());

        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        JsonNode rounds = report.path("rounds");
        assertEquals(2, rounds.size());
        JsonNode direct = report.path("summary");
        assertTrue(direct.has("direct_cost_pct") && direct.path("direct_cost_pct").isNull(), direct.toString());
        assertTrue(direct.path("direct_cost_note").asText().startsWith("not estimated in restart mode"), direct.toString());
        assertEquals("off", rounds.get(0).path("mode").asText());
        assertEquals("on", rounds.get(1).path("mode").asText());
        for (JsonNode round : rounds) {
            assertEquals(MESSAGES, round.path("produced").asLong());
            assertEquals(MESSAGES, round.path("received").asLong());
            assertEquals(MESSAGES, round.path("persisted").asLong());
            assertTrue(round.path("seconds").asDouble() > 0);
            double expected = MESSAGES / round.path("seconds").asDouble();
            assertEquals(expected, round.path("throughput").asDouble(), expected * 0.002, "seconds are rounded to ms in the report");
            assertEquals(MESSAGES, round.path("sources").path("admin").path("persisted").asLong());
            if (InfluxServer.isInstalled()) {
                assertEquals(MESSAGES, round.path("stored").asLong(), "points InfluxDB holds");
            }
        }
        JsonNode on = rounds.get(1);
        for (String source : List.of("statsd", "monasca")) {
            assertEquals(MESSAGES, on.path("sources").path(source).path("received").asLong(), source);
            assertEquals(MESSAGES, on.path("sources").path(source).path("persisted").asLong(), source);
        }
        JsonNode flush = on.path("timings_ms").path("statsd").path("flush");
        assertTrue(flush.path("calls").asLong() >= MESSAGES / 5000, "at least one flush per full batch of 5000 (more when maxBatchTime ends a batch early)");
        assertTrue(flush.path("min").asDouble() <= flush.path("avg").asDouble() && flush.path("avg").asDouble() <= flush.path("max").asDouble());
        assertEquals(MESSAGES, on.path("timings_ms").path("monasca").path("upsert").path("calls").asLong());
        assertTrue(rounds.get(0).path("sources").path("statsd").isMissingNode(), "no agent, no statsd in the off round");
        if (InfluxServer.isInstalled()) {
            assertPathComplete(report.path("summary").path("monasca_path"));
            // the on round's persister stored the agent's points of the round after its load, in the round's database
            assertTrue(on.path("pipeline_after").asLong() > 0, on.toString());
        }

        JsonNode summary = report.path("summary");
        for (String field : List.of("throughput_off", "throughput_on", "overhead_pct")) {
            assertTrue(summary.path(field).isNumber(), field);
        }
        assertTrue(summary.path("overhead_pct_spread").path("pairs").size() == 1);
        assertTrue(summary.path("overhead_pct_spread").path("stddev").isNull(), "one pair: no stddev");
        assertTrue(summary.path("verdict").asText().startsWith("One off/on pair only: the run-to-run spread is unknown"), summary.toString());
        assertEquals("restart", summary.path("mode").asText());
        assertTrue(summary.path("overhead_ci95").isNull(), "one pair: no interval");
        assertTrue(summary.path("cpu_us_per_message_off").asDouble() > 0 && summary.path("cpu_us_per_message_on").asDouble() > 0, summary.toString());
        JsonNode startup = summary.path("startup");
        assertEquals(rounds.get(0).path("first_received_seconds").asDouble(), startup.path("seconds_off").asDouble(), 1e-9);
        assertEquals(rounds.get(1).path("first_received_seconds").asDouble() - rounds.get(0).path("first_received_seconds").asDouble(),
                startup.path("added_seconds").asDouble(), 0.002, "start to first message, on minus off");
        assertEquals(0, report.path("mismatches").size());
        assertNotNull(ImageIO.read(out.resolve("throughput.png").toFile()));
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("STAND-IN"), "the report says the Monasca API is a stand-in");
    }

    @Test
    void aFailedRoundStillWritesTheReportAndExitsOne() throws Exception {
        Path out = temp.resolve("failed");
        Path notAJar = Files.writeString(temp.resolve("broken.jar"), "not a jar");
        PerfCliTest.Outcome o = PerfCliTest.perf("run", "--mode", "restart", "--rounds", "2", "--warmup", "false", "--settle", "0ms", "-n", "1000",
                "--source", "admin", "--no-influx", "--persister-jar", notAJar.toString(), "-o", out.toString());
        assertEquals(1, o.code(), "a failed round is exit 1, not 3 (sources disagreeing): " + o.out() + o.err());
        assertTrue(o.out().contains("round 1 failed"), o.out());
        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        assertEquals(0, report.path("rounds").size());
        assertTrue(report.path("errors").get(0).asText().contains("the sample persister exited"), report.toString());
        assertTrue(report.path("summary").path("throughput_off").isNull());
        assertTrue(Files.readString(out.resolve("report.md")).contains("THE RUN FAILED"));
    }

    @Test
    void withoutInfluxTheFileRepositoryIsUsedAndSaidLoudly() throws Exception {
        Path out = temp.resolve("file");
        PerfCliTest.Outcome o = PerfCliTest.perf("run", "--mode", "restart", "--rounds", "2", "--warmup", "false", "--settle", "500ms", "-n", "6000",
                "--batch-size", "1500", "--source", "admin,statsd", "--no-influx", "-o", out.toString());
        assertEquals(0, o.code(), o.out() + o.err());
        assertTrue(o.out().contains("!!! NO INFLUXDB"), o.out());
        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        assertTrue(report.path("setup").path("database").asText().contains("FILE"));
        for (JsonNode round : report.path("rounds")) {
            assertEquals(6000, round.path("stored").asLong(), "lines in the round's line-protocol file");
        }
        for (String round : List.of("round-1", "round-2")) {
            assertTrue(!Files.exists(out.resolve(round).resolve("points.lp")), "the whole file is not left behind");
            assertEquals(1000, Files.readAllLines(out.resolve(round).resolve("points-sample.lp")).size(), "its first lines are");
        }
        assertTrue(report.path("setup").path("database_file").asText().contains("kept as points-sample.lp"), report.toString());
        assertTrue(o.out().contains("the file: its lines are counted, then it is deleted but for its first 1000 lines"), o.out());
        assertEquals(6000, report.path("rounds").get(1).path("sources").path("statsd").path("persisted").asLong());
        assertTrue(report.path("rounds").get(1).path("sources").path("monasca").isMissingNode());
    }

    /** The agent's points went the whole production path: some posted, none refused or lost, every one stored, read back with a delay. */
    static void assertPathComplete(JsonNode path) {
        assertTrue(path.isObject(), "summary.monasca_path");
        assertTrue(path.path("posted").asLong() > 0, path.toString());
        assertEquals(0, path.path("rejected").asLong(), path.toString());
        assertEquals(path.path("posted").asLong(), path.path("stored").asLong(), path.toString());
        assertEquals(0, path.path("lost_to_queue_limit").asLong(), path.toString());
        // stored by the persister under test, outside every window or round, exactly what the API wrote
        assertTrue(path.path("handled_by_persister_under_test").asLong() > 0, path.toString());
        assertEquals(path.path("written_to_kafka").asLong(), path.path("handled_by_persister_under_test").asLong(), path.toString());
        assertTrue(path.path("delay_seconds_p50").isNumber() && path.path("delay_seconds_max").asDouble() >= path.path("delay_seconds_p50").asDouble(), path.toString());
    }
}
