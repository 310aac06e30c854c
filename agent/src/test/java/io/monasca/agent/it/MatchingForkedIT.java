package io.monasca.agent.it;

import io.monasca.testkit.statsd.StatsdReceiver;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The matching shortcuts (class-file headers, supertypes read by name, per-loader visibility) keep the contract:
 * subtypes loaded before their supertypes, in another jar seen through a parent loader, reached only through a
 * superinterface, classes of named modules; and the unmatched warnings say why (a lambda, a default method, only
 * constructors).
 */
class MatchingForkedIT {
    private static final String T = "io.monasca.testapp.hierarchy.";

    static List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void subtypesAcrossLoadersAndSuperinterfacesAreTimedAndMissesAreExplained(Path jdk) throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            // the unmatched warnings come at the end of the first interval: after the scenario has loaded everything
            ForkedApp.Result r = new ForkedApp(jdk).agent("profile=none,interval=3s,statsd.port=" + statsd.port()
                    + ",op.hier=" + T + "api.Handler[handle],op.greet=" + T + "impl.Greeter[greet],op.ctor=" + T
                    + "impl.OnlyConstructors[*],op.fn=" + T + "api.Transform[apply]").jvm("-Didle=3500").runToTheEnd(statsd, "hierarchy");
            assertEquals(r.expected("hier.completed"), AgentForkedIT.sumInstance(statsd, "hier.completed"));
            assertEquals(r.expected("hier.items"), AgentForkedIT.sumInstance(statsd, "hier.items"));
            List<String> instrumented = r.agentLog("INFO instrumented");
            assertTrue(instrumented.stream().anyMatch(l -> l.contains("ChildHandler.handle(int)")), instrumented::toString);
            assertTrue(instrumented.stream().anyMatch(l -> l.contains("ViaSubInterface.handle(int)")), instrumented::toString);

            List<String> warnings = r.agentLog("WARN");
            assertTrue(warnings.stream().anyMatch(w -> w.contains("op.greet") && w.contains("it is a default method of "
                    + T + "impl.Greeting, which is not a subtype of " + T + "impl.Greeter; target " + T
                    + "impl.Greeting[greet] instead")), warnings::toString);
            assertTrue(warnings.stream().anyMatch(w -> w.contains("op.ctor") && w.contains(T + "impl.OnlyConstructors"
                    + " declares only constructors, which are not timed")), warnings::toString);
            assertTrue(warnings.stream().anyMatch(w -> w.contains("op.fn") && w.contains(T + "api.Transform is"
                    + " implemented or extended by a hidden class (io.monasca.testapp.HierarchyScenario$$Lambda")),
                    warnings::toString);
            assertEquals(3, warnings.size(), warnings::toString);
            assertEquals(List.of(), r.foreignStderr());
        }
    }

    /** A class of a named module reads the agent's recording classes only if the agent adds that read edge. */
    @ParameterizedTest
    @MethodSource("jdks")
    void classesOfNamedModulesAreTimed(Path jdk, @TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/mod.timed");
        Files.createDirectories(src.resolve("mod/timed"));
        Files.writeString(src.resolve("module-info.java"), "module mod.timed { }");
        Files.writeString(src.resolve("mod/timed/Worker.java"),
                "package mod.timed; public class Worker { public int work(int n) { return n + 1; } }");
        Files.writeString(src.resolve("mod/timed/Main.java"), "package mod.timed; public class Main {"
                + " public static void main(String[] a) throws Exception { int sum = 0;"
                + " for (int i = 0; i < 3; i++) sum += new Worker().work(i); System.out.println(\"SUM \" + sum);"
                + " Thread.sleep(600); } }");
        Path out = dir.resolve("mods/mod.timed");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("--release", "11", "-d", out.toString()));
        try (var files = Files.walk(src)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        }
        assertEquals(0, javac.run(null, null, null, args.toArray(new String[0])));
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            Process p = new ProcessBuilder(jdk.resolve("bin/java").toString(), "-javaagent:" + ForkedApp.AGENT_JAR
                    + "=profile=none,interval=200ms,statsd.port=" + statsd.port() + ",op.work=mod.timed.Worker[work]",
                    "--module-path", dir.resolve("mods").toString(), "-m", "mod.timed/mod.timed.Main")
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertTrue(output.contains("SUM 6"), output);
            AgentForkedIT.awaitLastInterval(statsd, 1);
            assertEquals(3, AgentForkedIT.sumInstance(statsd, "work.completed"), output);
            assertEquals(0, AgentForkedIT.sumInstance(statsd, "agent.errors"), output);
        }
    }
}
