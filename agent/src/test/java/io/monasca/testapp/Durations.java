package io.monasca.testapp;

/**
 * Methods that take as long as they are told (busy, so that a sleep's wake-up lateness plays no part), one per
 * distribution the percentile test injects; each returns how long it measured itself, from inside, which the
 * agent's measurement (around the body) can only exceed.
 */
public class Durations {
    public long constant(long nanos) {
        return spin(nanos);
    }

    public long bimodal(long nanos) {
        return spin(nanos);
    }

    public long uniform(long nanos) {
        return spin(nanos);
    }

    public long lognormal(long nanos) {
        return spin(nanos);
    }

    public long single(long nanos) {
        return spin(nanos);
    }

    private static long spin(long nanos) {
        long start = System.nanoTime();
        long now;
        do {
            now = System.nanoTime();
        } while (now - start < nanos);
        return now - start;
    }
}
