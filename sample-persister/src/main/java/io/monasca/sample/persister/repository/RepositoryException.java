package io.monasca.sample.persister.repository;

/** A batch could not be stored; the caller keeps the batch and tries again. */
public class RepositoryException extends Exception {

    public RepositoryException(String message) {
        super(message);
    }

    public RepositoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
