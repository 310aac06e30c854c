package io.monasca.perf;

import io.monasca.perf.monasca.MonascaClient;
import io.monasca.perf.monasca.MonascaCredentials;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Options of the monasca source, defaulting to the OpenStack CLI's environment variables. */
final class MonascaOptions {
    @Option(names = "--os-auth-url", defaultValue = "${env:OS_AUTH_URL}", description = "Keystone v3 URL, e.g. http://keystone:5000/v3 (env OS_AUTH_URL)")
    String authUrl;

    @Option(names = "--os-username", defaultValue = "${env:OS_USERNAME}", description = "user (env OS_USERNAME)")
    String username;

    @Option(names = "--os-password-file", description = "file whose first line is the password (else env OS_PASSWORD)")
    Path passwordFile;

    @Option(names = "--os-project-name", defaultValue = "${env:OS_PROJECT_NAME}", description = "project (env OS_PROJECT_NAME)")
    String projectName;

    @Option(names = "--os-user-domain-name", defaultValue = "${env:OS_USER_DOMAIN_NAME:-Default}", description = "user's domain (env OS_USER_DOMAIN_NAME, default Default)")
    String userDomainName;

    @Option(names = "--os-project-domain-name", defaultValue = "${env:OS_PROJECT_DOMAIN_NAME:-Default}", description = "project's domain (env OS_PROJECT_DOMAIN_NAME, default Default)")
    String projectDomainName;

    @Option(names = "--os-region-name", defaultValue = "${env:OS_REGION_NAME}", description = "region of the monitoring endpoint in the catalog (env OS_REGION_NAME)")
    String region;

    @Option(names = "--monasca-url", defaultValue = "${env:MONASCA_API_URL}", description = "Monasca API URL ending in /v2.0; default: from Keystone's catalog (env MONASCA_API_URL)")
    String monascaUrl;

    @Option(names = "--monasca-dimensions", defaultValue = "component:monasca-persister", description = "dimension filter k:v[,k:v] (default ${DEFAULT-VALUE})")
    String dimensions;

    @Option(names = "--monasca-group-by", description = "combine series with group_by=* and add them up, instead of merge_metrics=true")
    boolean groupBy;

    @Option(names = "--http-timeout", defaultValue = "10s", converter = DurationConverter.class, description = "timeout of each HTTP call (default ${DEFAULT-VALUE})")
    Duration timeout;

    MonascaCredentials credentials() throws IOException {
        String password = System.getenv("OS_PASSWORD");
        if (passwordFile != null) {
            if (!Files.isReadable(passwordFile)) {
                throw new IllegalArgumentException("monasca source: cannot read password file " + passwordFile);
            }
            password = Files.readAllLines(passwordFile).stream().findFirst().orElse("");
        }
        return new MonascaCredentials(authUrl == null || authUrl.isBlank() ? null : URI.create(authUrl), username, password,
                projectName, userDomainName, projectDomainName, region,
                monascaUrl == null || monascaUrl.isBlank() ? null : URI.create(monascaUrl), timeout);
    }

    Map<String, String> dimensionFilter() {
        Map<String, String> result = new LinkedHashMap<>();
        if (dimensions == null || dimensions.isBlank()) return result;
        for (String pair : dimensions.split(",")) {
            int colon = pair.indexOf(':');
            if (colon <= 0) throw new IllegalArgumentException("--monasca-dimensions: expected key:value, got '" + pair + "'");
            result.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
        }
        return result;
    }

    MonascaClient.Combine combine() {
        return groupBy ? MonascaClient.Combine.GROUP_BY_ALL : MonascaClient.Combine.MERGE;
    }
}
