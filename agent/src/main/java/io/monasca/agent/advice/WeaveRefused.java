package io.monasca.agent.advice;

/**
 * The weaving of one method met code it cannot show it weaves correctly: that method is left as it was, the rest
 * of the class is woven again without it.
 */
final class WeaveRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** {@code name + descriptor}. */
    final String method;

    WeaveRefused(String method, String reason) {
        super(reason, null, false, false); // no stack trace: it is an answer, not a fault
        this.method = method;
    }
}
