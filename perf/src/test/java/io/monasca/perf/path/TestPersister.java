package io.monasca.perf.path;

import io.monasca.perf.run.PersisterConfig;
import io.monasca.perf.run.PersisterProcess;
import io.monasca.perf.run.RoundPlan;
import io.monasca.perf.toggle.CommittedOffsets;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * For the path's tests: the sample persister storing the pipeline's points: consumer group {@value #GROUP} on topic {@code metrics},
 * database {@code mon}, as monasca-persister is deployed; at-least-once (it commits a batch only after writing it).
 * Whether everything written to the topic is stored is asked of the broker (its committed offsets).
 */
final class TestPersister implements AutoCloseable {
    public static final String GROUP = "1_metrics";

    private final PersisterProcess process;
    private final CommittedOffsets offsets;
    private final String description;

    private TestPersister(PersisterProcess process, CommittedOffsets offsets, String description) {
        this.process = process;
        this.offsets = offsets;
        this.description = description;
    }

    /**
     * @param batchSize    points per write (monasca-persister: 20,000)
     * @param maxBatchTime longest wait before a partial batch is written (monasca-persister: 30 s)
     */
    static TestPersister start(Path jar, Path folder, String bootstrapServers, String topic, String influxUrl,
                                          String database, int batchSize, Duration maxBatchTime) throws IOException {
        java.nio.file.Files.createDirectories(folder);
        int adminPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            adminPort = socket.getLocalPort();
        }
        RoundPlan plan = new RoundPlan(bootstrapServers, topic, GROUP, adminPort, URI.create(influxUrl), database, null, 1,
                batchSize, maxBatchTime);
        Path config = PersisterConfig.write(folder, plan);
        List<String> command = new java.util.ArrayList<>();
        command.addAll(PersisterProcess.command(jar, config, null, List.of("-Xmx96m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-XX:ActiveProcessorCount=1", "-XX:CICompilerCount=1")));
        PersisterProcess process = PersisterProcess.start(command, folder.resolve("persister.log"));
        return new TestPersister(process, new CommittedOffsets(bootstrapServers, GROUP), "the sample persister ("
                + jar.getFileName() + ", no agent, its own JVM), group " + GROUP + " on topic " + topic + " into database "
                + database + ", batchSize " + batchSize + ", maxBatchTime " + maxBatchTime.toSeconds() + " s");
    }

    /** Messages of the topic the persister has stored and committed. */
    public long committed() throws Exception {
        return offsets.sum();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String logTail() {
        return process.logTail(20);
    }

    public String describe() {
        return description;
    }

    @Override
    public void close() {
        offsets.close();
        try {
            process.stop(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.kill();
        }
    }
}
