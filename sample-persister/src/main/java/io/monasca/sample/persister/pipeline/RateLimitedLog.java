package io.monasca.sample.persister.pipeline;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;

/** Logs at most one warning per interval and says how many were held back in between. Not thread-safe. */
final class RateLimitedLog {

    private final Logger log;
    private final long intervalNanos;
    private long lastNanos;
    private boolean loggedOnce;
    private long suppressed;

    RateLimitedLog(Logger log, long interval, TimeUnit unit) {
        this.log = log;
        this.intervalNanos = unit.toNanos(interval);
    }

    void warn(String format, Object... arguments) {
        long now = System.nanoTime();
        if (loggedOnce && now - lastNanos < intervalNanos) {
            suppressed++;
            return;
        }
        if (suppressed > 0) {
            log.warn("{} similar warnings suppressed", suppressed);
            suppressed = 0;
        }
        log.warn(format, arguments);
        lastNanos = now;
        loggedOnce = true;
    }
}
