package io.monasca.agent.control;

import io.monasca.agent.AgentLog;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/** The MBean, registered by {@link AgentRuntime} after the first interval. */
final class AgentControl implements AgentControlMBean {
    static final String NAME = "io.monasca.agent:type=Agent";

    private final AgentRuntime runtime;

    private AgentControl(AgentRuntime runtime) {
        this.runtime = runtime;
    }

    static void register(AgentRuntime runtime) {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(new AgentControl(runtime), new ObjectName(NAME));
        } catch (Throwable e) {
            AgentLog.warn("MBean " + NAME + " not registered (" + e + "); control by attach still works");
        }
    }

    static void unregister() {
        try {
            ObjectName name = new ObjectName(NAME);
            if (ManagementFactory.getPlatformMBeanServer().isRegistered(name)) {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            }
        } catch (Throwable e) {
            AgentLog.warn("MBean " + NAME + " not unregistered: " + e);
        }
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
    public int getInstrumentedMethods() {
        return runtime.report().instrumentedMethods();
    }

    @Override
    public String[] getUnmatchedTargets() {
        return runtime.report().unmatched().toArray(new String[0]);
    }

    @Override
    public String getStatsdTarget() {
        return runtime.settings().statsdHost + ":" + runtime.settings().statsdPort;
    }

    @Override
    public void detach() {
        runtime.detach();
    }
}
