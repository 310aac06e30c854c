package io.monasca.perf.monasca;

/** A Monasca API or Keystone call failed; the message names the call, the status and what it usually means. */
public final class MonascaApiException extends Exception {
    private final int status;

    public MonascaApiException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** HTTP status, or 0 when there was no answer (refused, timeout). */
    public int status() {
        return status;
    }

    static String meaning(int status) {
        if (status == 401) return "unauthorized: wrong user, password or project, or the token expired";
        if (status == 403) return "forbidden: the user needs role monasca-user or monasca-read-only-user in the project";
        if (status == 404) return "not found: check the URL (Keystone URL ends in /v3, Monasca URL in /v2.0)";
        if (status == 409) return "conflict: several metrics match; ask with merge_metrics or group_by";
        if (status == 422 || status == 400) return "the API rejected the query";
        if (status >= 500) return "server error on the Monasca side";
        return "unexpected answer";
    }
}
