package io.monasca.agent.match;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The time the agent's transformer spends on the application's class-loading threads: every class looked at, and the
 * part of it spent weaving. Two clock reads per class (some tens of ns, against the tens of µs the JVM spends loading
 * it) buy the operator an answer to "what does the agent cost my start?" that no whole-process timing on a noisy
 * machine gives. (AtomicLong: plain atomic adds, no method handles at start.)
 */
public final class LookCost {
    private final AtomicLong classes = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicLong wovenClasses = new AtomicLong();
    private final AtomicLong weaveNanos = new AtomicLong();

    void looked(long elapsedNanos) {
        classes.incrementAndGet();
        nanos.addAndGet(elapsedNanos);
    }

    /** Time spent weaving a class, whatever came of it. */
    void weaving(long elapsedNanos) {
        weaveNanos.addAndGet(elapsedNanos);
    }

    /** A woven class the JVM took: counted as woven. */
    void changed() {
        wovenClasses.incrementAndGet();
    }

    /** E.g. {@code 7676 classes looked at in 44.8 ms, of which 2 woven in 10.2 ms}. */
    public String describe() {
        return classes.get() + " classes looked at in " + millis(nanos.get()) + " ms, of which " + wovenClasses.get()
                + " woven in " + millis(weaveNanos.get()) + " ms";
    }

    /** One decimal, integer arithmetic (no Formatter, which loads regular expressions, at a JVM's exit). */
    public static String millis(long nanos) {
        long tenths = Math.max(0, (nanos + 50_000) / 100_000);
        return (tenths / 10) + "." + (tenths % 10);
    }
}
