package io.monasca.perf;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the jars a run needs when no option names them: a system property (set by the build for tests), then
 * the project's folders relative to this tool's own jar ({@code perf/target/monasca-perf.jar}), then relative
 * to the working directory.
 */
final class JarLocator {
    private JarLocator() {
    }

    static Path find(String systemProperty, String relativePath) {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty(systemProperty);
        if (property != null && !property.isBlank()) candidates.add(Path.of(property));
        Path root = projectRoot();
        if (root != null) candidates.add(root.resolve(relativePath));
        candidates.add(Path.of(relativePath));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) return candidate.toAbsolutePath().normalize();
        }
        return candidates.get(candidates.size() - 1).toAbsolutePath().normalize();
    }

    /** The checkout this jar was built in: perf/target/monasca-perf.jar -> the folder above perf. */
    private static Path projectRoot() {
        try {
            Path self = Path.of(JarLocator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = self.getParent();
            if (target == null || target.getParent() == null) return null;
            return target.getParent().getParent();
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
