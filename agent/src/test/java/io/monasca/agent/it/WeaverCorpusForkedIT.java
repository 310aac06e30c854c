package io.monasca.agent.it;

import com.sun.tools.attach.VirtualMachine;
import io.monasca.agent.control.AgentControlMBean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.management.JMX;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The weaver on real libraries' bytecode, javac's and scalac's: with a target matching every class, every method of
 * every class of kafka-clients, jackson and the Scala library is woven, and each class is loaded and initialized,
 * with {@code -Xverify:all}, on each JDK, so the JVM's verifier checks it. Not one may fail that does not fail without
 * the agent. And by attach: the same classes loaded first, then every one retransformed (which the JVM verifies
 * before it accepts it) and restored by detach: the JVM refuses none.
 */
class WeaverCorpusForkedIT {
    /** The jar a class of the test class path comes from (kafka-clients and the rest come with the test kit). */
    private static Path jarOf(String className) throws Exception {
        return Path.of(Class.forName(className, false, WeaverCorpusForkedIT.class.getClassLoader())
                .getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** kafka-clients, jackson core and databind, the Scala library: javac's and scalac's bytecode. */
    private static Path[] corpus() throws Exception {
        return new Path[]{jarOf("org.apache.kafka.common.KafkaException"), jarOf("com.fasterxml.jackson.core.JsonParser"),
                jarOf("com.fasterxml.jackson.databind.ObjectMapper"), jarOf("scala.Option")};
    }

    static java.util.List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void everyMethodOfThousandsOfClassesVerifies(Path jdk) throws Exception {
        Path[] corpus = corpus();
        String corpusProperty = "-Dcorpus=" + String.join(File.pathSeparator, Arrays.stream(corpus).map(Path::toString).toList());
        ForkedApp.Result plain = new ForkedApp(jdk).withoutAgent().classPath(corpus).jvm(corpusProperty, "-Xverify:all")
                .run("corpus");
        ForkedApp.Result woven = new ForkedApp(jdk).agent("profile=none,statsd.port=9,op.all=java.lang.Object[*]")
                .classPath(corpus).jvm(corpusProperty, "-Xss4m", "-Xverify:all").timeout(java.time.Duration.ofMinutes(4))
                .run("corpus");
        plain.assertRanCorrectly();
        woven.assertRanCorrectly();
        String count = woven.stdout().stream().filter(l -> l.startsWith("CORPUS")).findFirst().orElseThrow();
        ReliabilityForkedIT.figure(jdk.getFileName() + " weaver corpus (every method of every class woven, then initialized)",
                count);
        List<String> failedPlain = plain.stdout().stream().filter(l -> l.startsWith("FAILED")).toList();
        List<String> failedWoven = woven.stdout().stream().filter(l -> l.startsWith("FAILED")).toList();
        assertEquals(failedPlain, failedWoven);
        assertTrue(woven.stdout().stream().noneMatch(l -> l.contains("VerifyError") || l.contains("ClassFormatError")));
        int initialized = Integer.parseInt(count.split(" ")[2]);
        assertTrue(initialized > 7000, count);
        assertTrue(woven.agentLog("WARN").stream().noneMatch(w -> w.contains("could not instrument")),
                () -> String.join("\n", woven.agentLog("WARN")));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void everyMethodOfThousandsOfLoadedClassesIsRetransformedAndRestored(Path jdk) throws Exception {
        Path[] corpus = corpus();
        String corpusProperty = "-Dcorpus=" + String.join(File.pathSeparator, Arrays.stream(corpus).map(Path::toString).toList());
        Process app = new ForkedApp(jdk).withoutAgent().classPath(corpus)
                .jvm(corpusProperty, "-Xss4m", "-Xverify:all", "-XX:+EnableDynamicAgentLoading").start("corpus", "wait");
        BufferedReader stdout = new BufferedReader(new InputStreamReader(app.getInputStream(),
                StandardCharsets.UTF_8));
        Thread drainErr = new Thread(() -> { // the agent's log: thousands of lines that must not fill the pipe
            try {
                app.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
            } catch (java.io.IOException ended) {
                // the process ended
            }
        });
        drainErr.start();
        try {
            java.util.Set<String> failedWithoutAgent = new java.util.HashSet<>();
            String line;
            while ((line = stdout.readLine()) != null && !line.equals("READY")) {
                if (line.startsWith("FAILED ")) { // a class that does not load even without an agent
                    failedWithoutAgent.add(line.split(" ")[1]);
                }
            }
            assertEquals("READY", line);
            VirtualMachine vm = VirtualMachine.attach(Long.toString(app.pid()));
            try (JMXConnector jmx = JMXConnectorFactory.connect(
                    new JMXServiceURL(vm.startLocalManagementAgent()))) {
                vm.loadAgent(ForkedApp.AGENT_JAR.toString(), "profile=none,statsd.port=9,op.all=java.lang.Object[*]");
                ObjectName name = new ObjectName("io.monasca.agent:type=Agent");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!jmx.getMBeanServerConnection().isRegistered(name) && System.nanoTime() < deadline) {
                    Thread.sleep(100); // as the attach command waits for it
                }
                AgentControlMBean agent = JMX.newMBeanProxy(jmx.getMBeanServerConnection(), name,
                        AgentControlMBean.class);
                // the JVM refuses to redefine only classes that are broken anyway (failed to link: a dependency
                // missing from the corpus), never one the weaver wrote wrong
                List<String> refused = Arrays.stream(agent.getNotWovenMethods())
                        .filter(m -> m.contains("rejected")).map(WeaverCorpusForkedIT::typeOf)
                        .filter(type -> !failedWithoutAgent.contains(type)).distinct().toList();
                assertEquals(List.of(), refused);
                int methods = agent.getInstrumentedMethods();
                String detached = agent.detach();
                ReliabilityForkedIT.figure(jdk.getFileName() + " weaver corpus by attach: methods instrumented, then",
                        methods + "; " + detached);
                assertTrue(methods > 20_000, () -> methods + " methods");
                Matcher restored = Pattern.compile("detached: (\\d+) instrumented")
                        .matcher(detached);
                assertTrue(restored.find() && Integer.parseInt(restored.group(1)) > 5000, detached);
            } finally {
                vm.detach();
            }
        } finally {
            app.getOutputStream().close();
            assertTrue(app.waitFor(60, TimeUnit.SECONDS));
        }
        assertEquals(0, app.exitValue());
    }

    /** {@code op: a.b.C.m(...) returns ...: reason} -> {@code a.b.C}. */
    private static String typeOf(String notWoven) {
        String signature = notWoven.substring(notWoven.indexOf(": ") + 2, notWoven.indexOf('('));
        return signature.substring(0, signature.lastIndexOf('.'));
    }
}
