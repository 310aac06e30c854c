package io.monasca.perf.outcome;

/**
 * Every exit code the perf commands return, in one place (perf/README.md lists them for users).
 */
public final class ExitCode {
    /** Did what was asked: every source agreed with what was produced and stored. */
    public static final int OK = 0;
    /** A round or window failed or timed out, a server was unreachable, credentials were refused, a source could
     * not be read: the report (when there is one) holds what was done. */
    public static final int FAILURE = 1;
    /** Bad arguments (picocli's usage code). */
    public static final int USAGE = 2;
    /** The sources disagree with what was produced or stored. */
    public static final int MISMATCH = 3;
    /** Stopped by Ctrl-C (the JVM's own status for SIGINT: 128 + 2); the report is marked incomplete. */
    public static final int STOPPED = 130;

    private ExitCode() {
    }
}
