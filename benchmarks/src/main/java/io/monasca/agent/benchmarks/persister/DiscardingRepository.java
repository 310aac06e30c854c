package io.monasca.agent.benchmarks.persister;

import io.monasca.sample.persister.repository.MetricRepository;
import io.monasca.sample.persister.repository.Point;

import java.util.List;

/**
 * The sample persister's repository interface with nothing behind it: a batch is counted and dropped. Its file and
 * InfluxDB repositories do I/O whose cost would only dilute the advice's share of a message (this way the share is
 * an upper bound), and whose noise would hide it.
 */
public final class DiscardingRepository implements MetricRepository {
    private long written;

    @Override
    public int write(List<Point> batch) {
        written += batch.size();
        return batch.size();
    }

    public long written() {
        return written;
    }

    @Override
    public String describe() {
        return "nothing (benchmark)";
    }
}
