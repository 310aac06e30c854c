package io.monasca.perf.run;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * An output that can be silenced at once: when {@code perf run} is stopped (Ctrl-C, SIGTERM) its threads fail one
 * after the other (the producer closed, the broker's log folder gone) while the JVM exits; what they would print is
 * noise after the one line that says what happened.
 */
public final class MutableOutput extends OutputStream {
    /** Writes nothing: for System.err and System.out while the JVM exits. */
    public static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);

    private final OutputStream target;
    private volatile boolean muted;

    public MutableOutput(OutputStream target) {
        this.target = target;
    }

    /** This output as a PrintStream. */
    public PrintStream printStream() {
        return new PrintStream(this, true, StandardCharsets.UTF_8);
    }

    public void mute() {
        muted = true;
    }

    @Override
    public void write(int b) {
        if (!muted) {
            try {
                target.write(b);
            } catch (java.io.IOException ignored) {
                // a closed console: nothing to tell it
            }
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (!muted) {
            try {
                target.write(b, off, len);
            } catch (java.io.IOException ignored) {
                // as above
            }
        }
    }

    @Override
    public void flush() {
        if (!muted) {
            try {
                target.flush();
            } catch (java.io.IOException ignored) {
                // as above
            }
        }
    }
}
