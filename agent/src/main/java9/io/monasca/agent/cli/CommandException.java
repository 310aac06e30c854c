package io.monasca.agent.cli;

/** A command that cannot do what was asked: the message for the operator and the exit code. */
final class CommandException extends Exception {
    private static final long serialVersionUID = 1L;

    final int exitCode;
    /** Whether the usage text helps: a wrong command line, not a wrong setting or a target's state. */
    final boolean showUsage;

    CommandException(int exitCode, String message) {
        this(exitCode, message, exitCode == Commands.USAGE);
    }

    CommandException(int exitCode, String message, boolean showUsage) {
        super(message);
        this.exitCode = exitCode;
        this.showUsage = showUsage;
    }
}
