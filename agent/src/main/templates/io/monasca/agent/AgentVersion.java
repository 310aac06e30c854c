package io.monasca.agent;

/** The agent's version, written in by the build (a constant: nothing to read while the JVM starts). */
public final class AgentVersion {
    private static final String VERSION = "${project.version}";

    private AgentVersion() {
    }

    public static String get() {
        return VERSION;
    }
}
