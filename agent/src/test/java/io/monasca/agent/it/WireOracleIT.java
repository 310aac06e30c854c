package io.monasca.agent.it;

import io.monasca.testkit.statsd.MonascaStatsdOracle;
import io.monasca.testkit.statsd.OracleMetric;
import io.monasca.testkit.statsd.StatsdLine;
import io.monasca.testkit.statsd.StatsdReceiver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every line the agent sends, byte for byte as the reference python monasca-statsd client (Debian package
 * python3-monasca-statsd) writes the same name, value and dimensions; and valid for the monasca-agent daemon.
 */
class WireOracleIT {
    static List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void linesMatchPythonMonascaStatsd(Path jdk) throws Exception {
        assertTrue(MonascaStatsdOracle.available(), MonascaStatsdOracle.INSTALL_HINT);
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            ForkedApp.Result r = new ForkedApp(jdk)
                    .agent("statsd.port=" + statsd.port() + ",dimensions=region:RegionOne,cluster:c-1")
                    .run("persister", "2", "30");
            r.assertRanCorrectly();
            List<StatsdLine> lines = statsd.awaitLines(l -> l.stream().anyMatch(x -> x.name().endsWith("agent.errors")),
                    Duration.ofSeconds(10));
            assertEquals(List.of(), statsd.violations());
            List<OracleMetric> same = new ArrayList<>();
            for (StatsdLine line : lines) {
                same.add(line.type().equals("c")
                        ? OracleMetric.counter(line.name(), Long.parseLong(line.valueText()), line.dimensions())
                        : OracleMetric.gauge(line.name(), line.value(), line.dimensions()));
            }
            List<String> raw = statsd.datagrams().stream()
                    .flatMap(d -> List.of(d.text().split("\n")).stream()).toList();
            assertEquals(lines.size(), raw.size());
            assertEquals(MonascaStatsdOracle.render(same), raw);
            assertTrue(raw.stream().anyMatch(l -> l.contains("|g|")), "gauges were compared too");
        }
    }
}
