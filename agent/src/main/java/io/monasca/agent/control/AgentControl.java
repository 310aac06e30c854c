package io.monasca.agent.control;

import io.monasca.agent.AgentLog;
import io.monasca.agent.AgentVersion;
import io.monasca.agent.config.AgentSettings;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The MBean: reads and drives the {@link AgentRuntime} it was made for. It stays registered after that runtime
 * detached, saying so (state {@code detached}, nothing instrumented, the commands answer that there is nothing to
 * do), until a new attach replaces it: a JMX client never meets an MBean that vanished under it.
 */
final class AgentControl implements AgentControlMBean {
    static final String NAME = "io.monasca.agent:type=Agent";

    private final AgentRuntime runtime;

    AgentControl(AgentRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Whether the platform MBean server exists already (the application, jconsole or a control command started
     * JMX). Asked without creating it: creating it initialises java.util.logging, which an application that is
     * still starting may be about to configure.
     */
    static boolean platformServerExists() {
        return !MBeanServerFactory.findMBeanServer(null).isEmpty();
    }

    boolean register() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(NAME);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name); // left by an agent that could not unregister it
            }
            server.registerMBean(this, name);
            return true;
        } catch (Throwable e) {
            AgentLog.warn("MBean " + NAME + " not registered (" + e + "); the control commands cannot reach the agent");
            return false;
        }
    }

    @Override
    public String getVersion() {
        return AgentVersion.get();
    }

    @Override
    public String getState() {
        return runtime.isDetached() ? "detached" : "running";
    }

    @Override
    public String getStartedAt() {
        return runtime.startedAt();
    }

    @Override
    public String getStartedBy() {
        return runtime.attached() ? "attach" : "-javaagent";
    }

    @Override
    public boolean isEnabled() {
        return runtime.isEnabled();
    }

    @Override
    public void setEnabled(boolean enabled) {
        runtime.setEnabled(enabled);
    }

    @Override
    public String enable() {
        return runtime.setEnabled(true);
    }

    @Override
    public String disable() {
        return runtime.setEnabled(false);
    }

    @Override
    public String[] getOperations() {
        List<String> ops = new ArrayList<String>();
        for (Object op : runtime.settings().operations) {
            ops.add(op.toString());
        }
        return ops.toArray(new String[0]);
    }

    @Override
    public int getInstrumentedMethods() {
        return runtime.isDetached() ? 0 : runtime.report().instrumentedMethods();
    }

    @Override
    public String[] getInstrumentedMethodNames() {
        return runtime.isDetached() ? new String[0] : runtime.report().instrumentedMethodNames().toArray(new String[0]);
    }

    @Override
    public String[] getUnmatchedTargets() {
        return runtime.isDetached() ? new String[0] : runtime.unmatched().toArray(new String[0]);
    }

    @Override
    public String[] getNotWovenMethods() {
        return runtime.report().notWovenMethods().toArray(new String[0]);
    }

    @Override
    public String getStatsdTarget() {
        return runtime.settings().statsdHost + ":" + runtime.settings().statsdPort;
    }

    @Override
    public String getExport() {
        AgentSettings s = runtime.settings();
        return s.format.name().toLowerCase(java.util.Locale.ROOT) + " format every " + s.intervalMillis + " ms as "
                + s.prefix + ".*" + (s.perThread ? ", per thread (at most " + s.perThreadMax + " thread names)" : "");
    }

    @Override
    public String[] getConfigProblems() {
        return runtime.settings().problems.toArray(new String[0]);
    }

    @Override
    public long getAgentErrors() {
        return runtime.agentErrors();
    }

    @Override
    public long getSendFailures() {
        return runtime.sendFailures();
    }

    @Override
    public long getLastExportMicros() {
        return runtime.lastExportMicros();
    }

    @Override
    public String getStartupCost() {
        return runtime.startupCost();
    }

    @Override
    public double[] calibrateCallCost(int calls) {
        return runtime.calibrateCallCost(calls);
    }

    @Override
    public String detach() {
        return runtime.detach();
    }
}
