package io.monasca.perf.monasca;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The body of a Keystone v3 password authentication scoped to a project ({@code POST /v3/auth/tokens}). */
public final class KeystonePassword {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KeystonePassword() {
    }

    /** A blank domain is Keystone's {@code Default}. */
    public static String body(String user, String password, String userDomain, String project, String projectDomain) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode auth = body.putObject("auth");
        ObjectNode identity = auth.putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode u = identity.putObject("password").putObject("user");
        u.put("name", user);
        u.put("password", password);
        u.putObject("domain").put("name", orDefault(userDomain));
        ObjectNode p = auth.putObject("scope").putObject("project");
        p.put("name", project);
        p.putObject("domain").put("name", orDefault(projectDomain));
        return body.toString();
    }

    private static String orDefault(String domain) {
        return domain == null || domain.isBlank() ? "Default" : domain;
    }
}
