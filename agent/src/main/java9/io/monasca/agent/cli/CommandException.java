package io.monasca.agent.cli;

/** A command that cannot do what was asked: the message for the operator and the exit code. */
final class CommandException extends Exception {
    private static final long serialVersionUID = 1L;

    final int exitCode;

    CommandException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }
}
