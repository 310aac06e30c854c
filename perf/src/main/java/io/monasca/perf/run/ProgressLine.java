package io.monasca.perf.run;

import io.monasca.perf.source.Reading;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The live progress line of persister_perf.sh: current and average received and persisted metrics/second.
 * On a terminal it rewrites one line; otherwise (CI logs, pipes) it prints a line every {@code logEverySeconds}.
 */
public final class ProgressLine {
    private final PrintStream out;
    private final boolean terminal;
    private final double logEverySeconds;
    private final String label;
    private final long target;
    private double lastSeconds;
    private Reading last = Reading.ZERO;
    private double lastPrinted = -1;

    public ProgressLine(PrintStream out, boolean terminal, double logEverySeconds, String label, long target) {
        this.out = out;
        this.terminal = terminal;
        this.logEverySeconds = logEverySeconds;
        this.label = label;
        this.target = target;
    }

    /** {@code seconds} since the start of measuring, {@code reading} since the start too. */
    public void update(double seconds, Reading reading) {
        double span = seconds - lastSeconds;
        if (!terminal && lastPrinted >= 0 && seconds - lastPrinted < logEverySeconds) return;
        if (span <= 0) return;
        String line = format(seconds, reading, (reading.received() - last.received()) / span,
                (reading.persisted() - last.persisted()) / span);
        lastSeconds = seconds;
        last = reading;
        lastPrinted = seconds;
        if (terminal) {
            out.print("\r" + line + "   ");
        } else {
            out.println(line);
        }
        out.flush();
    }

    String format(double seconds, Reading reading, double currentReceived, double currentPersisted) {
        double averageReceived = seconds > 0 ? reading.received() / seconds : 0;
        double averagePersisted = seconds > 0 ? reading.persisted() / seconds : 0;
        return String.format(Locale.ROOT,
                "%s %6.1fs  received %,d (now %,.0f/s, avg %,.0f/s)  persisted %,d of %,d (now %,.0f/s, avg %,.0f/s)",
                label, seconds, reading.received(), currentReceived, averageReceived, reading.persisted(), target,
                currentPersisted, averagePersisted);
    }

    /** Ends the rewritten line on a terminal. */
    public void finish() {
        if (terminal) {
            out.println();
        }
    }
}
