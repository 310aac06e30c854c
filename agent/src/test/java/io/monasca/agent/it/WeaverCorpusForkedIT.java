package io.monasca.agent.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The weaver on real libraries' bytecode, javac's and scalac's: with a target matching every class, every method of
 * every class of kafka-clients, jackson and the Scala library is woven, and each class is loaded and initialized,
 * with {@code -Xverify:all}, on each JDK, so the JVM's verifier checks it. Not one may fail that does not fail without
 * the agent.
 */
class WeaverCorpusForkedIT {
    /** The jar a class of the test class path comes from (kafka-clients and the rest come with the test kit). */
    private static Path jarOf(String className) throws Exception {
        return Path.of(Class.forName(className, false, WeaverCorpusForkedIT.class.getClassLoader())
                .getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    static java.util.List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void everyMethodOfThousandsOfClassesVerifies(Path jdk) throws Exception {
        Path[] corpus = {jarOf("org.apache.kafka.common.KafkaException"), jarOf("com.fasterxml.jackson.core.JsonParser"),
                jarOf("com.fasterxml.jackson.databind.ObjectMapper"), jarOf("scala.Option")};
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
}
