package io.monasca.agent.it;

import io.monasca.testkit.statsd.StatsdReceiver;
import io.monasca.testapp.SchemaBreaker;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassReader;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the agent says is timed is what the JVM accepted. Under attach, a class the JVM refuses to retransform (here
 * because a second agent adds a field to it) stays as it was: the command, {@code status} and the MBean list no
 * method of it as instrumented, name it as not woven with the JVM's reason, and the start-up line counts no class
 * as woven; its calls are not counted and return as before. A target type that declares none of the target's
 * methods is looked at and woven to nothing: no class counted as woven either.
 */
class InstrumentedMeansAcceptedForkedIT {
    static List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void aClassTheJvmRefusesIsNotListedAsInstrumented(Path jdk, @TempDir Path dir) throws Exception {
        Path breaker = breakerJar(dir);
        Path asm = Path.of(ClassReader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            Process app = new ForkedApp(jdk).withoutAgent().classPath(asm)
                    .jvm("-XX:+EnableDynamicAgentLoading", "-javaagent:" + breaker + "=io.monasca.testapp.Work")
                    .start("wait");
            BufferedReader stdout = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
            OutputStream stdin = app.getOutputStream();
            String pid = Long.toString(app.pid());
            try {
                assertTrue(stdout.readLine().startsWith("READY"));
                AgentCommand attach = AgentCommand.run(jdk, "attach", pid, "profile=none,interval=200ms,"
                        + "statsd.host=127.0.0.1,statsd.port=" + statsd.port() + ",op.calc=io.monasca.testapp.Work[count]");
                assertTrue(attach.stdout().contains("instrumented: 0 methods"), attach::all);
                assertTrue(attach.stdout().contains("not woven:    1 method")
                        && attach.stdout().contains("calc: io.monasca.testapp.Work.count(int) returns int: the JVM"
                        + " rejected the woven class (java.lang.UnsupportedOperationException"), attach::all);
                assertTrue(attach.stdout().contains(", of which 0 woven in "), attach::all);
                for (int i = 0; i < 3; i++) {
                    stdin.write('c');
                    stdin.flush();
                    assertEquals("CALLED", stdout.readLine());
                }
                Thread.sleep(600); // three intervals
                assertEquals(0, AgentForkedIT.sumInstance(statsd, "calc.received"));
                AgentCommand status = AgentCommand.run(jdk, "status", pid);
                assertTrue(status.stdout().contains("instrumented: 0 methods")
                        && status.stdout().contains("not woven:    1 method"), status::all);
            } finally {
                stdin.close();
                assertTrue(app.waitFor(20, TimeUnit.SECONDS));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void aTargetTypeWithoutTheMethodIsNotCountedAsWoven(Path jdk) throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            Process app = new ForkedApp(jdk).withoutAgent().jvm("-XX:+EnableDynamicAgentLoading").start("wait");
            BufferedReader stdout = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
            try {
                assertTrue(stdout.readLine().startsWith("READY"));
                AgentCommand attach = AgentCommand.run(jdk, "attach", Long.toString(app.pid()), "profile=none,"
                        + "statsd.host=127.0.0.1,statsd.port=" + statsd.port() + ",op.calc=io.monasca.testapp.Work[cuont]");
                assertTrue(attach.stdout().contains("instrumented: 0 methods")
                        && attach.stdout().contains(", of which 0 woven in "), attach::all);
                AgentCommand detach = AgentCommand.run(jdk, "detach", Long.toString(app.pid()));
                assertTrue(detach.stdout().contains("detached: 0 instrumented classes restored"), detach::all);
            } finally {
                app.getOutputStream().close();
                assertTrue(app.waitFor(20, TimeUnit.SECONDS));
            }
        }
    }

    /** The second agent's jar: its class and a manifest that lets it retransform. */
    private static Path breakerJar(Path dir) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", SchemaBreaker.class.getName());
        manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        Path jar = dir.resolve("schema-breaker.jar");
        Path classes = Path.of("target/test-classes");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             var files = Files.walk(classes.resolve("io/monasca/testapp"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("SchemaBreaker")).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString()));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        return jar;
    }
}
