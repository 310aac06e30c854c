package io.monasca.agent.control;

/**
 * The running agent as seen in JMX ({@code io.monasca.agent:type=Agent}): by jconsole, and by the control commands
 * ({@code status}, {@code enable}, {@code disable}, {@code detach}) over the JVM's local JMX connector.
 */
public interface AgentControlMBean {
    String getVersion();

    /** {@code running}, or {@code detached}: then nothing is timed and the operations say there is nothing to do. */
    String getState();

    /** When the agent started, ISO-8601. */
    String getStartedAt();

    /** How it was started: {@code -javaagent} or {@code attach}. */
    String getStartedBy();

    boolean isEnabled();

    void setEnabled(boolean enabled);

    /** Turns timing on; returns what happened, e.g. {@code timing is now on (it was off)}. */
    String enable();

    /** Turns timing off (the woven code stays and only skips the clock); returns what happened. */
    String disable();

    /** The operations and their targets, one {@code name=[targets]} each. */
    String[] getOperations();

    int getInstrumentedMethods();

    /** Every instrumented method: {@code op: type.method(parameters) returns type}. */
    String[] getInstrumentedMethodNames();

    String[] getUnmatchedTargets();

    /** Methods a target names, in loaded classes, that were left as they were: {@code op: method: reason}. */
    String[] getNotWovenMethods();

    /** {@code host:port}. */
    String getStatsdTarget();

    /** Format, interval and prefix of what is sent. */
    String getExport();

    /** What was wrong in the settings the agent started with (each: key, value, source, default used). */
    String[] getConfigProblems();

    /** The agent's own suppressed errors since it started (the metric {@code <prefix>.agent.errors}). */
    long getAgentErrors();

    /** Datagrams that could not be sent since it started ({@code <prefix>.agent.send_failures}). */
    long getSendFailures();

    /** How long the exporter took for the last interval (closing it, aggregating, formatting, sending). */
    long getLastExportMicros();

    /**
     * The agent's own time on the application's threads: premain (or agentmain), and the classes its transformer
     * looked at and wove, e.g. {@code 9.1 ms in premain; 7676 classes looked at in 44.8 ms, of which 2 woven in 10.2 ms}.
     */
    String getStartupCost();

    /**
     * What one timed call costs in this JVM now, in nanoseconds: the woven code's path (the clock pair and the
     * recorder) run {@code calls} times (1,000 to 20,000) in a loop on the caller's thread, minus the same loop
     * without it, a few repetitions, at most about 20 ms in all. Counted as an operation of its own that is never
     * sent: no metric, no series, and the real operations' counts do not change. Returns {nanoseconds per timed
     * call (median of the repetitions), minimum, maximum, repetitions, calls per repetition, the clock pair alone
     * (median), 1 when timed in the thread's CPU time (0: elapsed time)}. Refused (IllegalStateException with the reason) when timing is off or the agent is detached.
     */
    double[] calibrateCallCost(int calls);

    /** Restores the instrumented classes, sends the last interval and stops; returns what happened. */
    String detach();
}
