package monasca.persister.pipeline.event;

/** Look-alike: declares {@code process} and {@code flushRepository} itself, like the Java persister's. */
public class MetricHandler extends FlushableHandler<Object[]> {
    private int pending;

    public MetricHandler(int batchSize) {
        super(batchSize);
    }

    @Override
    public int process(String msg) {
        pending++;
        return 1;
    }

    @Override
    public int flushRepository() {
        int written = pending;
        pending = 0;
        return written;
    }
}
