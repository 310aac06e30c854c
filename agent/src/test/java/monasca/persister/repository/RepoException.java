package monasca.persister.repository;

/** Look-alike of the Java persister's checked repository exception. */
public class RepoException extends Exception {
    private static final long serialVersionUID = 1L;

    public RepoException(String message) {
        super(message);
    }
}
