package io.monasca.agent.control;

import io.monasca.agent.AgentLog;
import io.monasca.agent.AgentVersion;
import io.monasca.agent.config.AgentArguments;
import io.monasca.agent.config.AgentSettings;
import io.monasca.agent.config.Operation;
import io.monasca.agent.export.Exporter;
import io.monasca.agent.match.Instrumenter;
import io.monasca.agent.match.LookCost;
import io.monasca.agent.match.MatchReport;
import io.monasca.agent.recording.Recorder;

import java.lang.instrument.Instrumentation;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;

/**
 * The running agent: started once per JVM (premain, or an attach), stopped by {@code detach} (after which it can be
 * attached again). It tells the outside what it is through two system properties, readable through the attach API
 * without loading anything into the JVM ({@value #VERSION_PROPERTY}, {@value #STATE_PROPERTY}: {@code running},
 * {@code detached} or {@code failed: ...}), and is driven through its MBean ({@link AgentControl}).
 */
public final class AgentRuntime {
    public static final String VERSION_PROPERTY = "io.monasca.agent.version";
    public static final String STATE_PROPERTY = "io.monasca.agent.state";
    public static final String TIMING_PROPERTY = "io.monasca.agent.timing";
    static final String DETACH = "detach";
    private static AgentRuntime current;

    private final AgentSettings settings;
    private final boolean attached;
    private final long startedAtMillis;
    private final Instrumenter instrumenter;
    private final Exporter exporter;
    private final AgentControl control = new AgentControl(this);
    private final Thread shutdownHook;
    /** How long premain (or agentmain) took, weaving the classes already loaded included (attach). */
    private volatile long startNanos;
    /** Set before the exporter starts (attach), or by the exporter thread (-javaagent). */
    private volatile boolean mbeanRegistered;
    /** After {@link #detach}: the MBean stays registered and says so, until an attach registers a new one. */
    private volatile boolean detached;

    private AgentRuntime(AgentSettings settings, Instrumentation instrumentation, boolean attached) {
        this.settings = settings;
        this.attached = attached;
        this.startedAtMillis = System.currentTimeMillis();
        Recorder.start(settings.operations.size(), !settings.percentiles.isEmpty());
        Recorder.setEnabled(settings.enabled);
        this.instrumenter = new Instrumenter(settings.operations);
        this.exporter = new Exporter(settings, instrumenter.report(), instrumenter.loadedClasses(), new MBeanRegistration());
        AgentLog.info("started " + AgentVersion.get() + (attached ? " (attached)" : "") + ": timing "
                + describe(settings.operations) + "; sending to statsd " + settings.statsdHost + ":"
                + settings.statsdPort + " (" + settings.format.name().toLowerCase(Locale.ROOT) + " format) every "
                + settings.intervalMillis + " ms as " + settings.prefix + ".*"
                + (settings.enabled ? "" : "; timing is OFF until enabled"));
        instrumenter.install(instrumentation, attached);
        if (attached) {
            mbeanRegistered = control.register(); // the application is up: JMX cannot disturb its start any more
        }
        exporter.start();
        this.shutdownHook = new ShutdownHook(exporter);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        System.setProperty(VERSION_PROPERTY, AgentVersion.get());
        System.setProperty(STATE_PROPERTY, "running");
        System.setProperty(TIMING_PROPERTY, settings.enabled ? "on" : "off");
    }

    /** {@code begun}: {@link System#nanoTime} when premain or agentmain was entered. */
    static synchronized void startOrControl(String argument, Instrumentation instrumentation, boolean attached,
                                            long begun) {
        try {
            argument = AgentArguments.expand(argument);
        } catch (java.io.IOException e) {
            if (current != null) {
                AgentLog.warn("already running: " + e.getMessage() + "; nothing changed");
            } else {
                refuseToStart(e.getMessage());
            }
            return;
        }
        if (current != null) {
            current.control(argument);
            return;
        }
        if (argument != null && argument.trim().equals(DETACH)) {
            AgentLog.warn("detach: the agent is not running in this JVM");
            return;
        }
        AgentSettings settings = AgentSettings.load(argument);
        if (!settings.fatal.isEmpty()) {
            refuseToStart(String.join("; ", settings.fatal));
            return;
        }
        for (String problem : settings.problems) {
            AgentLog.warn("config: " + problem);
        }
        for (String note : settings.notes) {
            AgentLog.info("config: " + note);
        }
        current = new AgentRuntime(settings, instrumentation, attached);
        current.startNanos = System.nanoTime() - begun;
    }

    /** Settings that were asked for cannot be read: the agent does not start on others in their place. */
    private static void refuseToStart(String why) {
        AgentLog.error("the agent did not start: " + why + "; it never runs on settings nobody asked for, so the"
                + " application runs uninstrumented", null);
        System.setProperty(VERSION_PROPERTY, AgentVersion.get());
        System.setProperty(STATE_PROPERTY, "failed: " + why);
        System.clearProperty(TIMING_PROPERTY);
    }

    /**
     * On the exporter thread, a few times a second. With {@code -javaagent} the MBean is registered once JMX exists
     * (started by the application, jconsole or a control command), and at the latest after the first interval: the
     * agent does not create the platform MBean server earlier itself, because that initialises java.util.logging,
     * which the application may still be about to configure.
     */
    private final class MBeanRegistration implements Exporter.Tick {
        @Override
        public void run(boolean afterFirstInterval) {
            if (!mbeanRegistered && (afterFirstInterval || AgentControl.platformServerExists())) {
                mbeanRegistered = true;
                control.register();
            }
        }

        @Override
        public void firstIntervalSent() {
            AgentLog.info("start-up cost: " + startupCost());
        }
    }

    /**
     * The agent's own time on the application's threads so far: premain (or agentmain) and the transformer's look
     * at each class loaded, weaving included. The JVM's own cost of running an agent is not in it.
     */
    String startupCost() {
        return LookCost.millis(startNanos) + " ms in " + (attached ? "agentmain" : "premain") + "; "
                + instrumenter.cost().describe();
    }

    /** Sends the last interval as the JVM exits. (Named classes rather than lambdas: see the exporter's thread.) */
    private static final class ShutdownHook extends Thread {
        private final Exporter exporter;

        ShutdownHook(Exporter exporter) {
            super("monasca-agent-shutdown");
            this.exporter = exporter;
        }

        @Override
        public void run() {
            exporter.stop();
        }
    }

    private static String describe(List<Operation> operations) {
        return operations.isEmpty() ? "nothing (no operation configured)" : operations.toString();
    }

    /**
     * The jar loaded again by hand ({@code VirtualMachine.loadAgent}) while the agent runs: {@code enabled=true|false}
     * and {@code detach} are obeyed; anything else is reported and ignored. (The control commands use the MBean.)
     */
    private void control(String argument) {
        for (String entry : AgentArguments.split(argument)) {
            String e = entry.replace(" ", "");
            if (e.equals(DETACH)) {
                detach();
            } else if (e.equalsIgnoreCase("enabled=true") || e.equalsIgnoreCase("enabled=false")) {
                setEnabled(Boolean.parseBoolean(e.substring("enabled=".length())));
            } else {
                AgentLog.warn("already running: '" + entry + "' ignored (a running agent takes enabled=true|false"
                        + " and detach; detach it and attach again to change other settings)");
            }
        }
    }

    /** Returns what happened, for the caller to show. */
    String setEnabled(boolean enabled) {
        if (detached) {
            return "the agent is detached: nothing is timed, and timing cannot be turned " + (enabled ? "on" : "off")
                    + " (attach again to time)";
        }
        boolean was = Recorder.isEnabled();
        Recorder.setEnabled(enabled);
        System.setProperty(TIMING_PROPERTY, enabled ? "on" : "off");
        String what = was == enabled ? "timing was already " + (enabled ? "on" : "off")
                : "timing is now " + (enabled ? "on" : "off") + " (it was " + (was ? "on" : "off") + ")";
        AgentLog.info(what);
        return what;
    }

    boolean isEnabled() {
        return !detached && Recorder.isEnabled();
    }

    boolean isDetached() {
        return detached;
    }

    /** Restores every instrumented class, sends the last interval and stops. Returns what happened. */
    String detach() {
        synchronized (AgentRuntime.class) {
            if (current != this) {
                return "the agent is not running (already detached)";
            }
            current = null;
        }
        int restored = instrumenter.reset();
        exporter.stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down
        }
        detached = true;
        System.setProperty(STATE_PROPERTY, "detached");
        System.clearProperty(TIMING_PROPERTY); // nothing is timed, whatever the switch said
        String what = "detached: " + restored + " instrumented class" + (restored == 1 ? "" : "es")
                + " restored, last interval sent";
        AgentLog.info(what);
        return what;
    }

    List<String> unmatched() {
        return instrumenter.report().unmatched(instrumenter.loadedClasses());
    }

    long agentErrors() {
        return exporter.errors();
    }

    long lastExportMicros() {
        return exporter.lastExportMicros();
    }

    long sendFailures() {
        return exporter.sendFailures();
    }

    AgentSettings settings() {
        return settings;
    }

    MatchReport report() {
        return instrumenter.report();
    }

    boolean attached() {
        return attached;
    }

    /** ISO-8601, UTC; formatted only when asked (no date classes on the start-up path). */
    String startedAt() {
        SimpleDateFormat iso = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT);
        iso.setTimeZone(TimeZone.getTimeZone("UTC"));
        return iso.format(new Date(startedAtMillis));
    }
}
