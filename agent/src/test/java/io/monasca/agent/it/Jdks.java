package io.monasca.agent.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The JDKs the forked-JVM tests run on: the build's own, plus {@code -Dtest.extra.jdk=<home>} (run-tests.sh: 25). */
final class Jdks {
    private Jdks() {
    }

    static List<Path> all() {
        List<Path> homes = new ArrayList<>();
        homes.add(Path.of(System.getProperty("java.home")));
        String extra = System.getProperty("test.extra.jdk", "").trim();
        if (extra.isEmpty()) {
            System.err.println("forked-JVM tests run on " + homes.get(0) + " only: no -Dtest.extra.jdk (JDK 25)");
        } else {
            Path home = Path.of(extra);
            if (!Files.isExecutable(home.resolve("bin/java"))) {
                throw new IllegalStateException("test.extra.jdk=" + extra + " has no bin/java");
            }
            homes.add(home);
        }
        return homes;
    }
}
