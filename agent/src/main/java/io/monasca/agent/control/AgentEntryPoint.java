package io.monasca.agent.control;

import java.lang.instrument.Instrumentation;

/**
 * {@code Premain-Class} and {@code Agent-Class}. Does as little as possible and keeps no state: it first makes the
 * recording classes visible to every class loader (bootstrap), and only then touches the rest of the agent, so that
 * no recording class is ever loaded from the application class path. Nothing it does may stop the application.
 */
public final class AgentEntryPoint {
    private AgentEntryPoint() {
    }

    public static void premain(String argument, Instrumentation instrumentation) {
        start(argument, instrumentation, false);
    }

    public static void agentmain(String argument, Instrumentation instrumentation) {
        start(argument, instrumentation, true);
    }

    private static void start(String argument, Instrumentation instrumentation, boolean attached) {
        long begun = System.nanoTime();
        try {
            BootstrapInjector.inject(instrumentation);
            AgentRuntime.startOrControl(argument, instrumentation, attached, begun);
        } catch (Throwable t) {
            System.err.println("[monasca-agent] ERROR the agent did not start; the application runs uninstrumented: " + t);
            try {
                System.setProperty(AgentRuntime.STATE_PROPERTY, "failed: " + t);
            } catch (Throwable ignored) {
                // a security manager may refuse: the log line above says it all
            }
        }
    }
}
