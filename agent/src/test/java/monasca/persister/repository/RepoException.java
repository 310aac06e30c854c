package monasca.persister.repository;

/** Look-alike of the Java persister's checked repository exception. */
public class RepoException extends Exception {
    public RepoException(String message) {
        super(message);
    }
}
