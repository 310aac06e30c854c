package monasca.persister.pipeline.event;

import monasca.persister.repository.RepoException;

/**
 * Look-alike of the Java monasca-persister's base handler: same names, signatures, visibility and control flow
 * ({@code onEvent} processes one message and flushes itself when the batch is full).
 */
public abstract class FlushableHandler<T> {
    private final int batchSize;
    private int batched;

    protected FlushableHandler(int batchSize) {
        this.batchSize = batchSize;
    }

    public boolean onEvent(String msg) throws RepoException {
        if (msg == null) {
            return false; // heartbeat: only checks the flush time
        }
        batched += process(msg);
        if (batched >= batchSize) {
            flush();
            return true;
        }
        return false;
    }

    protected abstract int process(String msg);

    public int flush() throws RepoException {
        int written = flushRepository();
        batched = 0;
        return written;
    }

    protected abstract int flushRepository() throws RepoException;
}
