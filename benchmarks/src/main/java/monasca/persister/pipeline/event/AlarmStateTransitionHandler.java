package monasca.persister.pipeline.event;

/** Look-alike: the alarm handler of the default profile. */
public class AlarmStateTransitionHandler extends FlushableHandler<Object> {
    public AlarmStateTransitionHandler(int batchSize) {
        super(batchSize);
    }

    @Override
    protected int process(String msg) {
        return 1;
    }

    @Override
    protected int flushRepository() {
        return 0;
    }
}
