package io.monasca.agent;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's log: one line per event on standard error, prefixed {@code [monasca-agent]}. No logging framework,
 * so that the agent neither pulls one in nor initialises the application's own (java.util.logging included) early.
 */
public final class AgentLog {
    private static final String PREFIX = "[monasca-agent] ";
    private static final Set<String> SAID = ConcurrentHashMap.newKeySet();

    private AgentLog() {
    }

    public static void info(String message) {
        System.err.println(PREFIX + "INFO " + message);
    }

    public static void warn(String message) {
        System.err.println(PREFIX + "WARN " + message);
    }

    public static void error(String message, Throwable cause) {
        System.err.println(PREFIX + "ERROR " + message + (cause == null ? "" : ": " + cause));
    }

    /** Logs a warning the first time {@code key} is seen; returns whether it did. */
    public static boolean warnOnce(String key, String message) {
        if (SAID.add(key)) {
            warn(message);
            return true;
        }
        return false;
    }

    /** Logs an info line the first time {@code key} is seen. */
    public static void infoOnce(String key, String message) {
        if (SAID.add(key)) {
            info(message);
        }
    }
}
