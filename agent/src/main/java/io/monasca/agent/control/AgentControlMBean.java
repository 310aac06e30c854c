package io.monasca.agent.control;

/** The agent as seen in JMX ({@code io.monasca.agent:type=Agent}), e.g. with jconsole. */
public interface AgentControlMBean {
    boolean isEnabled();

    void setEnabled(boolean enabled);

    int getInstrumentedMethods();

    String[] getUnmatchedTargets();

    String getStatsdTarget();

    /** Restores the instrumented classes and stops the agent. */
    void detach();
}
