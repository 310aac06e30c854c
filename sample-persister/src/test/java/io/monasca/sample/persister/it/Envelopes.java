package io.monasca.sample.persister.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Monasca metric envelopes as the JMeter plan of monasca-persister/perf sends them (metric_NNN names, host_NNNN
 * hostnames, tenant_NN tenants, a process dimension), each with its own timestamp so every point is distinct.
 */
final class Envelopes {

    static final int TENANTS = 3;
    static final int HOSTS = 5;
    static final long BASE_MILLIS = System.currentTimeMillis() - 3_600_000;

    private Envelopes() {
    }

    static String name(int i) {
        return String.format("metric_%03d", i % 4 + 1);
    }

    static String host(int i) {
        return String.format("host_%04d", i % HOSTS + 1);
    }

    static String tenant(int i) {
        return String.format("tenant_%02d", i % TENANTS + 1);
    }

    static long timestamp(int i) {
        return BASE_MILLIS + i;
    }

    static double value(int i) {
        return i * 0.5;
    }

    static String envelope(int i) {
        return "{\"metric\":{\"timestamp\":" + timestamp(i) + ",\"name\":\"" + name(i) + "\",\"dimensions\":{"
                + "\"hostname\":\"" + host(i) + "\",\"service\":\"monitoring\",\"process\":\"" + (i % 22 + 1) + "\"},"
                + "\"value\":" + value(i) + ",\"value_meta\":null},"
                + "\"meta\":{\"region\":\"RegionOne\",\"tenantId\":\"" + tenant(i) + "\"},"
                + "\"creation_time\":" + timestamp(i) / 1000 + "}";
    }

    static List<String> envelopes(int from, int to) {
        List<String> messages = new ArrayList<>();
        for (int i = from; i < to; i++) {
            messages.add(envelope(i));
        }
        return messages;
    }

    /** Sends the messages (round robin over partitions) and waits until the broker has them all. */
    static void send(String bootstrapServers, String topic, List<String> messages) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            List<Future<?>> sent = new ArrayList<>();
            int i = 0;
            for (String message : messages) {
                sent.add(producer.send(new ProducerRecord<>(topic, null, "k" + i++, message)));
            }
            for (Future<?> future : sent) {
                future.get();
            }
        }
    }
}
