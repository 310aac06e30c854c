package monasca.persister.pipeline.event;

/** Look-alike: declares {@code protected int process(String)} and {@code protected int flushRepository()}. */
public class AlarmStateTransitionHandler extends FlushableHandler<Object> {
    private int pending;

    public AlarmStateTransitionHandler(int batchSize) {
        super(batchSize);
    }

    @Override
    protected int process(String msg) {
        pending++;
        return 1;
    }

    @Override
    protected int flushRepository() {
        int written = pending;
        pending = 0;
        return written;
    }
}
