package io.monasca.agent.export;

import io.monasca.agent.AgentLog;
import io.monasca.agent.config.AgentSettings;
import io.monasca.agent.match.MatchReport;
import io.monasca.agent.recording.CellReading;
import io.monasca.agent.recording.Recorder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;

/**
 * Once per interval, on its own daemon thread: closes the interval, aggregates, formats, packs and sends. When
 * stopped (JVM exit, detach) the same thread sends the last partial interval, and {@link #stop} waits for it at most
 * {@value #STOP_WAIT_MILLIS} ms (a slow DNS lookup never holds up the JVM's exit). Errors of its own are counted and
 * logged once; the thread carries on.
 */
public final class Exporter {
    static final long STOP_WAIT_MILLIS = 2_000;
    /** How often the thread wakes between intervals, for {@link Tick} (cheap checks such as "does JMX exist?"). */
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** Runs on the exporter thread every tick; {@code afterFirstInterval} once the first interval was sent. */
    public interface Tick {
        void run(boolean afterFirstInterval);

        /** Once, right after the first interval was sent (which at a JVM's early exit is the last). */
        void firstIntervalSent();
    }

    private final AgentSettings settings;
    private final MatchReport report;
    private final MatchReport.LoadedClasses loadedClasses;
    // Built on the exporter thread, not in premain, as soon as the first method is instrumented (or at the first
    // send): the JVM's start does not wait for them (the socket alone loads some hundred JDK classes and takes tens
    // of ms), the first interval and the last one at exit find them ready, an unresolvable statsd host is reported
    // at start, and a JVM where nothing is ever timed never builds them.
    private IntervalAggregator aggregator;
    private LineFormatter formatter;
    private volatile DatagramPacker packer;
    private volatile UdpSender sender;
    private final Thread thread;
    private final Tick tick;
    private volatile boolean stopping;
    private volatile boolean stopped;
    private boolean firstIntervalDone;
    private boolean prepared;
    private long reportedErrors;
    private long reportedSendFailures;
    private volatile long exportFailures;
    private volatile long lastExportNanos;

    public Exporter(AgentSettings settings, MatchReport report, MatchReport.LoadedClasses loadedClasses, Tick tick) {
        this.settings = settings;
        this.tick = tick;
        this.report = report;
        this.loadedClasses = loadedClasses;
        this.thread = new ExporterThread();
        report.onMethodInstrumented(new WakeUp());
    }

    /** A method was instrumented: the thread prepares the pipeline and socket now (once) rather than later. */
    private final class WakeUp implements MatchReport.MethodInstrumented {
        @Override
        public void run() {
            LockSupport.unpark(thread);
        }
    }

    /** Whether an operation returns a count of items: what was instrumented says. (A class: see the thread's.) */
    private final class CountsItems implements IntPredicate {
        @Override
        public boolean test(int operation) {
            return report.countsItems(operation);
        }
    }

    /** A named class, not a lambda: the agent's start links no call site (each costs a class spun at run time). */
    private final class ExporterThread extends Thread {
        ExporterThread() {
            super("monasca-agent-exporter");
            setDaemon(true);
        }

        @Override
        public void run() {
            loop();
        }
    }

    public void start() {
        thread.start();
    }

    private void build() {
        List<String> names = new ArrayList<String>();
        for (int i = 0; i < settings.operations.size(); i++) {
            names.add(settings.operations.get(i).name);
        }
        aggregator = new IntervalAggregator(settings, names, new CountsItems());
        formatter = new LineFormatter(settings.format);
        sender = new UdpSender(settings.statsdHost, settings.statsdPort);
        packer = new DatagramPacker(settings.packetSize);
    }

    private void loop() {
        long period = TimeUnit.MILLISECONDS.toNanos(settings.intervalMillis);
        long next = System.nanoTime() + period;
        while (!stopping) {
            long now = System.nanoTime();
            if (now - next >= 0) {
                next += period;
                if (next - now < 0) {
                    next = now + period; // fell behind (suspended VM): skip, do not burst
                }
                exportOnce(false);
            }
            runTick();
            if (!prepared && report.instrumentedMethods() > 0) {
                prepare();
            }
            long wait = Math.min(TICK_NANOS, next - System.nanoTime());
            if (wait > 0 && !stopping) {
                // parked, not sleeping: stop() unparks, and an interrupt would close the socket mid-send
                LockSupport.parkNanos(this, wait);
            }
        }
        exportOnce(true);
        if (sender != null) {
            sender.close();
        }
        stopped = true;
    }

    /** Builds the pipeline, resolves the statsd host and opens the socket; errors show again at the first send. */
    private void prepare() {
        prepared = true;
        try {
            if (aggregator == null) {
                build();
            }
            sender.prepare();
        } catch (Throwable t) {
            exportFailures++;
            AgentLog.warnOnce("prepare-error", "preparing the export failed (" + t + "); the agent carries on");
        }
    }

    private void runTick() {
        try {
            tick.run(firstIntervalDone);
        } catch (Throwable t) {
            exportFailures++;
            AgentLog.warnOnce("tick-error", "agent housekeeping failed (" + t + "); the agent carries on");
        }
    }

    /**
     * Closes the current interval and sends it. The last one ({@code last}) is not sent when nothing was ever
     * recorded and nothing went wrong: a JVM where nothing was timed exits without opening a socket.
     */
    private void exportOnce(boolean last) {
        long start = System.nanoTime();
        try {
            long errors = errors();
            long sendFailures = sendFailures();
            List<CellReading> readings = Recorder.closeInterval();
            boolean anySeen = aggregator != null && aggregator.anySeen();
            if (last && readings.isEmpty() && !anySeen && errors == 0 && sendFailures == 0) {
                return;
            }
            if (aggregator == null) {
                build();
            }
            List<String> lines = new ArrayList<String>();
            for (Series s : aggregator.aggregate(readings, errors - reportedErrors, sendFailures - reportedSendFailures)) {
                lines.add(formatter.format(s));
            }
            reportedErrors = errors;
            reportedSendFailures = sendFailures;
            sender.send(packer.pack(lines));
            lastExportNanos = System.nanoTime() - start;
            reportItemsOutOfRange();
            if (!firstIntervalDone) {
                firstIntervalDone = true;
                for (String message : report.unmatched(loadedClasses)) {
                    AgentLog.warn(message);
                }
                tick.firstIntervalSent();
            }
        } catch (Throwable t) {
            exportFailures++;
            AgentLog.warnOnce("export-error", "exporting an interval failed (" + t + "); it is lost, the agent"
                    + " carries on; further failures are only counted (metric <prefix>.agent.errors)");
        }
    }

    /** Once: a count-returning method returned what cannot be a count of items (see Recorder.exitWithCount). */
    private void reportItemsOutOfRange() {
        int operation = Recorder.firstItemsOutOfRangeOperation();
        if (operation >= 0 && operation < settings.operations.size()) {
            AgentLog.warnOnce("items-out-of-range", "op." + settings.operations.get(operation).name + ": a timed"
                    + " method returned " + Recorder.firstItemsOutOfRange() + ", which is not a count of items (0.."
                    + Recorder.MAX_ITEMS_PER_CALL + "); such results add no items (said once)");
        }
    }

    /** The agent's own errors so far: suppressed in advice, failed instrumentations, exports, dropped lines. */
    public long errors() {
        DatagramPacker p = packer;
        return Recorder.internalErrors() + report.errors() + exportFailures
                + (p == null ? 0 : p.droppedLines());
    }

    /** How long the last interval's export took: grows with the series, never with the calls. */
    public long lastExportMicros() {
        return lastExportNanos / 1000;
    }

    public long sendFailures() {
        UdpSender s = sender;
        return s == null ? 0 : s.failures();
    }

    /**
     * Stops the thread, which sends the last partial interval; waits for that at most {@value #STOP_WAIT_MILLIS}
     * ms. Idempotent.
     */
    public void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        if (!thread.isAlive()) {
            return;
        }
        LockSupport.unpark(thread);
        try {
            thread.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!stopped) {
            AgentLog.warn("the last interval was not sent within " + STOP_WAIT_MILLIS + " ms (statsd host lookup"
                    + " or send still under way); not waiting longer");
        }
    }
}
