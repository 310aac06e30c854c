package io.monasca.perf.path;

import io.monasca.perf.monasca.KeystonePassword;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A Keystone v3 password session scoped to a project, as monasca-agent's forwarder keeps one: a token, renewed when refused. */
final class KeystoneSession {
    private final HttpClient http;
    private final URI tokens;
    private final String user;
    private final String password;
    private final String project;
    private final Duration timeout;
    private String token;

    KeystoneSession(HttpClient http, URI keystoneUrl, String user, String password, String project, Duration timeout) {
        this.http = http;
        String base = keystoneUrl.toString().endsWith("/") ? keystoneUrl.toString() : keystoneUrl + "/";
        this.tokens = URI.create(base + "auth/tokens");
        this.user = user;
        this.password = password;
        this.project = project;
        this.timeout = timeout;
    }

    /** The current token, asking Keystone for one when there is none. */
    synchronized String token() throws IOException, InterruptedException {
        if (token != null) return token;
        String body = KeystonePassword.body(user, password, null, project, null);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(tokens).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        String subject = response.headers().firstValue("X-Subject-Token").orElse(null);
        if (response.statusCode() != 201 || subject == null) {
            throw new IOException("Keystone " + tokens + " answered HTTP " + response.statusCode() + " without a token");
        }
        token = subject;
        return token;
    }

    /** Forgets the token (the API refused it): the next call asks Keystone again. */
    synchronized void invalidate() {
        token = null;
    }
}
