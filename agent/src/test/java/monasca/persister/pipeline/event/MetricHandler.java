package monasca.persister.pipeline.event;

import monasca.persister.repository.RepoException;

/** Look-alike: declares {@code public int process(String)} and {@code public int flushRepository()} itself. */
public class MetricHandler extends FlushableHandler<Object[]> {
    private int pending;
    private boolean failNextFlush;

    public MetricHandler(int batchSize) {
        super(batchSize);
    }

    @Override
    public int process(String msg) {
        if (msg.startsWith("bad")) {
            return 0; // like the real one: a message that fails to parse is logged and counts 0
        }
        int metrics = msg.split(";").length;
        pending += metrics;
        return metrics;
    }

    @Override
    public int flushRepository() throws RepoException {
        if (failNextFlush) {
            failNextFlush = false;
            throw new RepoException("database down");
        }
        int written = pending;
        pending = 0;
        return written;
    }

    public void failNextFlush() {
        failNextFlush = true;
    }
}
