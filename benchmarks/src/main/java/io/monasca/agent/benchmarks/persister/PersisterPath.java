package io.monasca.agent.benchmarks.persister;

import com.codahale.metrics.MetricRegistry;
import io.monasca.sample.persister.pipeline.MetricHandler;
import io.monasca.sample.persister.pipeline.MetricMessageParser;
import io.monasca.sample.persister.repository.RepositoryException;

/**
 * What the sample persister's consumer loop ({@code MetricConsumer}) does for each message: the handler's
 * {@code onEvent} (its {@code process}, the upsert the agent times, and the events meter), then a flush
 * ({@code flushRepository}, which the agent times too) when the batch is full. Defined anew beside the plain or the
 * woven {@link MetricHandler} in {@link PerMessageCost}, so both are called through exactly the same code.
 */
public final class PersisterPath implements MessagePath {
    /** The sample persister's default {@code metricConfiguration.maxMessageSize}. */
    static final int MAX_MESSAGE_SIZE = 65536;

    private final MetricHandler handler;
    private final int batchSize;

    public PersisterPath(DiscardingRepository repository, int batchSize) {
        this.handler = new MetricHandler("1", new MetricMessageParser(MAX_MESSAGE_SIZE), repository, new MetricRegistry());
        this.batchSize = batchSize;
    }

    @Override
    public int onMessage(String message) throws RepositoryException {
        int accepted = handler.onEvent(message);
        if (handler.batchSize() >= batchSize) {
            handler.flush();
        }
        return accepted;
    }
}
