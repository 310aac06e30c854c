package io.monasca.agent.it;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What ships: one jar, only our package and relocated ASM, licences, Java 8 class files where the agent runs. */
class AgentJarIT {
    private static final List<String> ALLOWED = List.of(
            "META-INF/", "META-INF/MANIFEST.MF", "META-INF/LICENSE", "META-INF/NOTICE", "META-INF/licenses/",
            "META-INF/licenses/ASM", "io/", "io/monasca/");

    @Test
    void entriesAreOnlyTheAgentAndItsRelocatedDependencies() throws IOException {
        List<String> foreign = new ArrayList<>();
        try (JarFile jar = new JarFile(ForkedApp.AGENT_JAR.toFile())) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (!name.startsWith("io/monasca/agent/") && !ALLOWED.contains(name)) {
                    foreign.add(name);
                }
            }
            assertTrue(jar.getEntry("io/monasca/agent/shaded/asm/ClassReader.class") != null);
            assertTrue(jar.getEntry("META-INF/licenses/ASM") != null);
        }
        assertEquals(List.of(), foreign);
        assertTrue(Files.size(ForkedApp.AGENT_JAR) <= 1024 * 1024, "jar larger than 1 MiB");
    }

    @Test
    void manifestDeclaresTheAgent() throws IOException {
        try (JarFile jar = new JarFile(ForkedApp.AGENT_JAR.toFile())) {
            Attributes a = jar.getManifest().getMainAttributes();
            assertEquals("io.monasca.agent.control.AgentEntryPoint", a.getValue("Premain-Class"));
            assertEquals("io.monasca.agent.control.AgentEntryPoint", a.getValue("Agent-Class"));
            assertEquals("true", a.getValue("Can-Retransform-Classes"));
            assertEquals("true", a.getValue("Can-Redefine-Classes"));
            assertEquals("monasca-persister-agent.jar", a.getValue("Boot-Class-Path"));
            assertEquals("io.monasca.agent.control.AgentCli", a.getValue("Main-Class"));
        }
    }

    /**
     * The agent's classes are Java 8 (major 52), so it loads on Java 8 JVMs; ASM's are no newer. Java 9 (53): only
     * the commands (they run on the operator's JDK, never in the agent's JVM).
     */
    @Test
    void classFilesLoadOnJava8() throws IOException {
        int ours = 0;
        try (JarFile jar = new JarFile(ForkedApp.AGENT_JAR.toFile())) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                if (!entry.getName().endsWith(".class")) {
                    continue;
                }
                int major = majorVersion(jar, entry);
                boolean shaded = entry.getName().startsWith("io/monasca/agent/shaded/");
                boolean java9 = entry.getName().startsWith("io/monasca/agent/cli/");
                if (java9) {
                    assertEquals(53, major, entry.getName());
                } else if (!shaded) {
                    ours++;
                    assertEquals(52, major, entry.getName());
                } else {
                    assertTrue(major <= 52, entry.getName() + " has class-file version " + major);
                }
            }
        }
        assertTrue(ours > 20, "found only " + ours + " agent classes");
    }

    private static int majorVersion(JarFile jar, JarEntry entry) throws IOException {
        try (InputStream in = jar.getInputStream(entry); DataInputStream data = new DataInputStream(in)) {
            assertEquals(0xCAFEBABE, data.readInt(), entry.getName());
            data.readUnsignedShort();
            return data.readUnsignedShort();
        }
    }
}
