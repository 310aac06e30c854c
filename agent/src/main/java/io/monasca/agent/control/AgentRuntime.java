package io.monasca.agent.control;

import io.monasca.agent.AgentLog;
import io.monasca.agent.config.AgentArguments;
import io.monasca.agent.config.AgentSettings;
import io.monasca.agent.config.Operation;
import io.monasca.agent.export.Exporter;
import io.monasca.agent.match.Instrumenter;
import io.monasca.agent.match.MatchReport;
import io.monasca.agent.recording.Recorder;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * The running agent: starts it once per JVM (premain or the first attach), and afterwards takes control commands
 * from later attaches ({@code enabled=true|false}, {@code detach}) and from the MBean.
 */
public final class AgentRuntime {
    static final String DETACH = "detach";
    private static AgentRuntime current;

    private final AgentSettings settings;
    private final Instrumentation instrumentation;
    private final ResettableClassFileTransformer transformer;
    private final MatchReport report;
    private final Exporter exporter;
    private final Thread shutdownHook;
    private boolean mbeanRegistered;

    private AgentRuntime(AgentSettings settings, Instrumentation instrumentation) {
        this.settings = settings;
        this.instrumentation = instrumentation;
        Recorder.configure(settings.operations.size());
        Recorder.setEnabled(settings.enabled);
        Instrumenter instrumenter = new Instrumenter(settings.operations);
        this.report = instrumenter.report();
        this.exporter = new Exporter(settings, report, () -> afterInterval(instrumenter));
        this.transformer = instrumenter.install(instrumentation);
        this.exporter.start();
        this.shutdownHook = new Thread(exporter::stop, "monasca-agent-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * On the exporter thread. The MBean is registered after the first interval, not in premain: starting the platform
     * MBean server initialises java.util.logging, which the application may still be about to configure.
     */
    private void afterInterval(Instrumenter instrumenter) {
        instrumenter.clearTypeCache();
        if (!mbeanRegistered) {
            mbeanRegistered = true;
            AgentControl.register(this);
        }
    }

    static synchronized void startOrControl(String argument, Instrumentation instrumentation) {
        if (current != null) {
            current.control(argument);
            return;
        }
        if (argument != null && argument.trim().equals(DETACH)) {
            AgentLog.warn("detach: the agent is not running in this JVM");
            return;
        }
        AgentSettings settings = AgentSettings.load(argument);
        for (String problem : settings.problems) {
            AgentLog.warn("config: " + problem);
        }
        current = new AgentRuntime(settings, instrumentation);
        AgentLog.info("started: timing " + describe(settings.operations) + "; sending to statsd "
                + settings.statsdHost + ":" + settings.statsdPort + " (" + settings.format.name().toLowerCase()
                + " format) every " + settings.intervalMillis + " ms as " + settings.prefix + ".*"
                + (settings.enabled ? "" : "; timing is OFF until enabled"));
    }

    private static String describe(List<Operation> operations) {
        return operations.isEmpty() ? "nothing (no operation configured)" : operations.toString();
    }

    /** A later attach: {@code enabled=true|false} or {@code detach}. Anything else is reported and ignored. */
    private void control(String argument) {
        for (String entry : AgentArguments.split(argument)) {
            String e = entry.replace(" ", "");
            if (e.equals(DETACH)) {
                detach();
            } else if (e.equalsIgnoreCase("enabled=true") || e.equalsIgnoreCase("enabled=false")) {
                setEnabled(Boolean.parseBoolean(e.substring("enabled=".length())));
            } else {
                AgentLog.warn("already running: '" + entry + "' ignored (a running agent takes enabled=true|false"
                        + " and detach; restart the JVM to change other settings)");
            }
        }
    }

    void setEnabled(boolean enabled) {
        Recorder.setEnabled(enabled);
        AgentLog.info("timing " + (enabled ? "enabled" : "disabled"));
    }

    boolean isEnabled() {
        return Recorder.isEnabled();
    }

    /** Restores every instrumented class, sends the last interval and stops. The agent can be attached again. */
    void detach() {
        synchronized (AgentRuntime.class) {
            if (current != this) {
                return;
            }
            current = null;
        }
        boolean restored = transformer.reset(instrumentation, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
        exporter.stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down
        }
        AgentControl.unregister();
        AgentLog.info("detached" + (restored ? ": instrumented classes restored" : ""));
    }

    AgentSettings settings() {
        return settings;
    }

    MatchReport report() {
        return report;
    }
}
