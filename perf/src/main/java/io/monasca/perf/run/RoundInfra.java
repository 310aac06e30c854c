package io.monasca.perf.run;

import io.monasca.perf.source.MonascaSource;
import io.monasca.perf.source.StatsdSource;
import io.monasca.testkit.influx.InfluxServer;
import io.monasca.testkit.kafka.EmbeddedKafka;

/** The servers every round uses; {@code influx}, {@code statsd} and {@code monasca} may be null. */
public record RoundInfra(EmbeddedKafka kafka, InfluxServer influx, StatsdSource statsd, MonascaSource monasca) {
}
