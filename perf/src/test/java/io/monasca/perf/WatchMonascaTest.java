package io.monasca.perf;

import io.monasca.perf.standin.StandInMonascaApi;
import io.monasca.perf.support.StoredStandIn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code perf watch --source monasca} against the stand-in Keystone + Monasca API while measurements keep
 * arriving (as the agent's metrics would through monasca-agent): it reaches the target, counted from the start
 * of the watch, and writes persister_perf_output.txt.
 */
class WatchMonascaTest {
    @TempDir
    Path temp;

    @Test
    void watchesThroughTheMonascaApi() throws Exception {
        Map<String, String> dims = Map.of("service", "monitoring", "component", "monasca-persister", "hostname", "p1");
        try (StoredStandIn store = StoredStandIn.start()) {
            StandInMonascaApi api = store.api().user("reader", "s3cret", "monitoring", true);
            // metrics from before the watch started do not count
            store.add("monasca.persister.flush.items", dims, System.currentTimeMillis() - 60_000, 5000);
            Path password = Files.writeString(temp.resolve("pw"), "s3cret\n");
            PerfCliTest.Outcome o;
            try (StandInFeeder feeder = StandInFeeder.start(store, dims)) {
                o = PerfCliTest.perf("watch", "--source", "monasca", "-n", "1000", "-w", "200ms", "--timeout", "30s",
                    "-o", temp.toString(), "--os-auth-url", api.keystoneUrl().toString(), "--os-username", "reader",
                    "--os-password-file", password.toString(), "--os-project-name", "monitoring", "--os-region-name", "RegionOne");
            }
            assertEquals(0, o.code(), o.out() + o.err());
            Path folder;
            try (Stream<Path> found = Files.list(temp)) {
                folder = found.filter(p -> p.getFileName().toString().startsWith("persister_perf_")).findFirst().orElseThrow();
            }
            String text = Files.readString(folder.resolve("persister_perf_output.txt"));
            assertTrue(text.contains("Source: monasca"), text);
            assertTrue(text.matches("(?s).*Average persisted metrics/second: [1-9]\\d*.*"), text);
            var start = java.util.regex.Pattern.compile("Total persisted metric count at start: (\\d+)").matcher(text);
            assertTrue(start.find(), text);
            assertTrue(Long.parseLong(start.group(1)) < 5000, "the old 5000 are from before the watch: " + text);
        }
    }
}
