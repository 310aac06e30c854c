package io.monasca.agent.export;

import io.monasca.agent.AgentLog;
import io.monasca.agent.config.AgentSettings;
import io.monasca.agent.match.MatchReport;
import io.monasca.agent.recording.Recorder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Once per interval, on its own daemon thread: closes the interval, aggregates, formats, packs and sends. Sends the
 * last partial interval when stopped (JVM exit, detach). Errors of its own are counted and logged once; the thread
 * carries on.
 */
public final class Exporter {
    private static final long STOP_WAIT_MILLIS = 2_000;

    private final AgentSettings settings;
    private final MatchReport report;
    private final IntervalAggregator aggregator;
    private final LineFormatter formatter;
    private final DatagramPacker packer;
    private final UdpSender sender;
    private final ReentrantLock exporting = new ReentrantLock();
    private final Thread thread;
    private final Runnable afterEachInterval;
    private volatile boolean stopped;
    private boolean firstIntervalDone;
    private long reportedErrors;
    private long reportedSendFailures;
    private long exportFailures;

    /** {@code afterEachInterval} runs on the exporter thread after each periodic export. */
    public Exporter(AgentSettings settings, MatchReport report, Runnable afterEachInterval) {
        this.settings = settings;
        this.afterEachInterval = afterEachInterval;
        this.report = report;
        List<String> names = new ArrayList<String>();
        for (int i = 0; i < settings.operations.size(); i++) {
            names.add(settings.operations.get(i).name);
        }
        this.aggregator = new IntervalAggregator(settings, names, report::countsItems);
        this.formatter = new LineFormatter(settings.format);
        this.packer = new DatagramPacker(settings.packetSize);
        this.sender = new UdpSender(settings.statsdHost, settings.statsdPort);
        this.thread = new Thread(this::run, "monasca-agent-exporter");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        sender.resolve(); // now, so that even a JVM that exits within its first interval gets its metrics out
        long period = TimeUnit.MILLISECONDS.toNanos(settings.intervalMillis);
        long next = System.nanoTime() + period;
        while (!stopped) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    if (stopped) {
                        return;
                    }
                    continue;
                }
                continue;
            }
            next += period;
            if (next - System.nanoTime() < 0) {
                next = System.nanoTime() + period; // fell behind (suspended VM): skip, do not burst
            }
            exportOnce(true);
            afterEachInterval.run();
        }
    }

    /** Closes the current interval and sends it; returns false when another export held the lock too long. */
    boolean exportOnce(boolean mayResolve) {
        try {
            if (!exporting.tryLock(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            long errors = Recorder.internalErrors() + report.errors() + exportFailures + packer.droppedLines();
            long sendFailures = sender.failures();
            List<String> lines = new ArrayList<String>();
            for (Series s : aggregator.aggregate(Recorder.closeInterval(), errors - reportedErrors,
                    sendFailures - reportedSendFailures)) {
                lines.add(formatter.format(s));
            }
            reportedErrors = errors;
            reportedSendFailures = sendFailures;
            sender.send(packer.pack(lines), mayResolve);
            if (!firstIntervalDone) {
                firstIntervalDone = true;
                for (String message : report.unmatched()) {
                    AgentLog.warn(message);
                }
            }
            return true;
        } catch (Throwable t) {
            exportFailures++;
            AgentLog.warnOnce("export-error", "exporting an interval failed (" + t + "); it is lost, the agent"
                    + " carries on; further failures are only counted (metric <prefix>.agent.errors)");
            return false;
        } finally {
            exporting.unlock();
        }
    }

    /** Stops the thread and sends the last partial interval. Bounded: never waits more than a few seconds. */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        thread.interrupt();
        exportOnce(false);
        sender.close();
    }
}
