package io.monasca.agent.it;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A system user of the tests' own, for processes that must run as someone else than the test (root): created on
 * first use with {@code useradd}, and commands run as it with {@code setpriv}, which keeps the process id (the test
 * needs the target's own pid). Tests that need it are skipped, saying why, when not root or when that fails.
 */
final class OtherUser {
    static final String NAME = "monasca-agent-it";
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final Path USERADD = Path.of("/usr/sbin/useradd");

    private OtherUser() {
    }

    /** Skips the calling test, with the reason, when the user cannot be had here. */
    static String require() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root, to run a process as another user (CI runs as root)");
        Assumptions.assumeTrue(Files.isExecutable(SETPRIV) && Files.isExecutable(USERADD),
                "needs " + SETPRIV + " and " + USERADD + " (util-linux, passwd)");
        if (run("id", "-u", NAME) != 0) {
            int created = run(USERADD.toString(), "--system", "--user-group", "--no-create-home",
                    "--shell", "/usr/sbin/nologin", NAME);
            Assumptions.assumeTrue(created == 0 || run("id", "-u", NAME) == 0,
                    "useradd " + NAME + " failed (exit " + created + ")");
        }
        return NAME;
    }

    /** The prefix that runs a command as {@code user}, in the same process. */
    static List<String> as(String user) {
        return new ArrayList<>(List.of(SETPRIV.toString(), "--reuid=" + user, "--regid=" + user, "--init-groups"));
    }

    /** {@code command} run as {@code user}. */
    static List<String> as(String user, String... command) {
        List<String> all = as(user);
        all.addAll(List.of(command));
        return all;
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
