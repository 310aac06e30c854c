package io.monasca.perf.run;

import io.monasca.perf.path.MonascaPath;
import io.monasca.perf.source.MonascaSource;
import io.monasca.perf.source.StatsdSource;
import io.monasca.testkit.influx.InfluxServer;
import io.monasca.testkit.kafka.EmbeddedKafka;

/**
 * The servers every round uses; {@code influx}, {@code statsd}, {@code monasca} and {@code path} may be null.
 * {@code path}: the agent's metrics on Monasca's production path, delivered to the persister under test.
 */
public record RoundInfra(EmbeddedKafka kafka, InfluxServer influx, StatsdSource statsd, MonascaSource monasca, MonascaPath path) {
    public RoundInfra(EmbeddedKafka kafka, InfluxServer influx, StatsdSource statsd, MonascaSource monasca) {
        this(kafka, influx, statsd, monasca, null);
    }
}
