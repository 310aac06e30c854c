package io.monasca.perf.toggle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A test agent that tells what bytecode a class in another JVM runs now: loaded into that JVM with the class's name,
 * it retransforms the class with a transformer of its own added last, which receives the bytes every other
 * transformer has made of it, and sets the system property {@code perf.probe.<class>} to {@code woven} when they
 * reference the monasca agent's classes ({@code io/monasca/agent/...}, what the agent weaves in), else
 * {@code original}. The property is read back through the attach API.
 */
public final class ClassBytesProbe {
    private ClassBytesProbe() {
    }

    public static void agentmain(String className, Instrumentation instrumentation) throws Exception {
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (!type.getName().equals(className)) continue;
            AtomicReference<byte[]> seen = new AtomicReference<>();
            ClassFileTransformer last = new ClassFileTransformer() {
                @Override
                public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
                    if (redefined == type) seen.set(bytes.clone());
                    return null;
                }
            };
            instrumentation.addTransformer(last, true);
            try {
                instrumentation.retransformClasses(type);
            } finally {
                instrumentation.removeTransformer(last);
            }
            String text = new String(seen.get(), StandardCharsets.ISO_8859_1);
            System.setProperty("perf.probe." + className, text.contains("io/monasca/agent/") ? "woven" : "original");
        }
    }

    /** This class as an agent jar (Agent-Class, Can-Retransform-Classes) in {@code folder}. */
    static Path jar(Path folder) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Agent-Class", ClassBytesProbe.class.getName());
        manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        Path jar = folder.resolve("class-bytes-probe.jar");
        String entry = ClassBytesProbe.class.getName().replace('.', '/');
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            for (String suffix : new String[]{".class", "$1.class"}) {
                out.putNextEntry(new JarEntry(entry + suffix));
                out.write(bytes(entry + suffix));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static byte[] bytes(String resource) throws IOException {
        try (InputStream in = ClassBytesProbe.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IOException("no class file " + resource);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
