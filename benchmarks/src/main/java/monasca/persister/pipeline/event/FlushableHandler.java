package monasca.persister.pipeline.event;

/** Look-alike of the Java persister's base handler, for the start-up benchmark: the agent's default targets. */
public abstract class FlushableHandler<T> {
    private final int batchSize;
    private int batched;

    protected FlushableHandler(int batchSize) {
        this.batchSize = batchSize;
    }

    public boolean onEvent(String msg) {
        if (msg == null) {
            return false;
        }
        batched += process(msg);
        if (batched >= batchSize) {
            flushRepository();
            batched = 0;
            return true;
        }
        return false;
    }

    protected abstract int process(String msg);

    protected abstract int flushRepository();
}
