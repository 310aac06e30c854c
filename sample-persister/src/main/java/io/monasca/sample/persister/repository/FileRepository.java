package io.monasca.sample.persister.repository;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends batches as InfluxDB line protocol to a file: the embedded default for running the persister
 * (and the agent on it) without an InfluxDB server. Not a stand-in for InfluxDB in tests of its behaviour.
 */
public final class FileRepository implements MetricRepository {

    private final Path file;

    public FileRepository(Path file) {
        this.file = file;
    }

    @Override
    public synchronized int write(List<Point> batch) throws RepositoryException {
        if (batch.isEmpty()) {
            return 0;
        }
        ByteBuffer bytes = ByteBuffer.wrap(LineProtocol.lines(batch).getBytes(StandardCharsets.UTF_8));
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                // On disk before the consumer commits the offsets this batch covers.
                channel.force(false);
            }
        } catch (IOException e) {
            throw new RepositoryException("could not append to " + file + ": " + e, e);
        }
        return batch.size();
    }

    @Override
    public String describe() {
        return "file " + file.toAbsolutePath();
    }
}
