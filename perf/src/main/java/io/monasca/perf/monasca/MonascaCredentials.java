package io.monasca.perf.monasca;

import java.net.URI;
import java.time.Duration;

/**
 * Where and how to reach a Monasca API: Keystone v3 password authentication scoped to a project, and the
 * monitoring endpoint (from the token's service catalog for {@code region}, unless {@code monascaUrl} is given).
 */
public record MonascaCredentials(URI authUrl, String username, String password, String projectName,
                                 String userDomainName, String projectDomainName, String region,
                                 URI monascaUrl, Duration timeout) {
    public MonascaCredentials {
        if (authUrl == null) throw new IllegalArgumentException("monasca source: no Keystone URL (--os-auth-url or OS_AUTH_URL)");
        if (blank(username)) throw new IllegalArgumentException("monasca source: no user name (--os-username or OS_USERNAME)");
        if (password == null) throw new IllegalArgumentException("monasca source: no password (OS_PASSWORD or --os-password-file)");
        if (blank(projectName)) throw new IllegalArgumentException("monasca source: no project (--os-project-name or OS_PROJECT_NAME)");
    }

    /** Everything but the password, which is never part of a message or a log. */
    @Override
    public String toString() {
        return "MonascaCredentials[authUrl=" + authUrl + ", username=" + username + ", password=********, projectName="
                + projectName + ", userDomainName=" + userDomainName + ", projectDomainName=" + projectDomainName
                + ", region=" + region + ", monascaUrl=" + monascaUrl + ", timeout=" + timeout + "]";
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
