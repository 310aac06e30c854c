package io.monasca.perf;

import io.monasca.perf.support.StoredStandIn;

import java.util.Map;

/** Stores the agent's received and persisted counts where the stand-in Monasca API reads, 100 every 100 ms, as a persister would. */
final class StandInFeeder implements AutoCloseable {
    private final Thread thread;

    private StandInFeeder(Thread thread) {
        this.thread = thread;
    }

    static StandInFeeder start(StoredStandIn store, Map<String, String> dimensions) {
        Thread feeder = new Thread(() -> {
            try {
                for (int i = 0; i < 300; i++) {
                    Thread.sleep(100);
                    long now = System.currentTimeMillis();
                    store.add("monasca.persister.upsert.received", dimensions, now, 100);
                    store.add("monasca.persister.flush.items", dimensions, now, 100);
                }
            } catch (InterruptedException ignored) {
                // test over
            }
        }, "stand-in-feeder");
        feeder.setDaemon(true);
        feeder.start();
        return new StandInFeeder(feeder);
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
