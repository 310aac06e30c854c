package io.monasca.perf.source;

/** A metric source could not be read; the message says which source, where, and why. */
public class SourceException extends Exception {
    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
