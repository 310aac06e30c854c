package io.monasca.perf;

import io.monasca.perf.standin.StandInMonascaApi;
import io.monasca.perf.standin.StoredMeasurement;

import java.util.Map;

/** Adds the agent's received and persisted counts to the stand-in Monasca API, 100 every 100 ms, as a persister would. */
final class StandInFeeder implements AutoCloseable {
    private final Thread thread;

    private StandInFeeder(Thread thread) {
        this.thread = thread;
    }

    static StandInFeeder start(StandInMonascaApi api, Map<String, String> dimensions) {
        Thread feeder = new Thread(() -> {
            try {
                for (int i = 0; i < 300; i++) {
                    Thread.sleep(100);
                    long now = System.currentTimeMillis();
                    api.add(new StoredMeasurement("monasca.persister.upsert.received", dimensions, now, 100));
                    api.add(new StoredMeasurement("monasca.persister.flush.items", dimensions, now, 100));
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
