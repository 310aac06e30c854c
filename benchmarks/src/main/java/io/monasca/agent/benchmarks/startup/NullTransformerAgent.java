package io.monasca.agent.benchmarks.startup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The floor of the start-up benchmark: an agent whose transformer, registered as the real agent registers its own
 * (able to retransform, its classes on the boot class path), returns null for every class. What it costs is what the JVM charges any agent that looks at
 * classes as they load (the {@code java.instrument} module, one call into Java per class), before the agent does any
 * work of its own.
 */
public final class NullTransformerAgent implements ClassFileTransformer {
    private static final String JAR_NAME = "null-transformer-agent.jar";

    public static void premain(String argument, Instrumentation instrumentation) {
        instrumentation.addTransformer(new NullTransformerAgent(), true);
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        return null;
    }

    /** Writes this agent as a jar of its own (this one class and a manifest) into {@code directory}. */
    static Path writeJar(Path directory) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Premain-Class", NullTransformerAgent.class.getName());
        main.putValue("Can-Retransform-Classes", "true");
        // on the boot class path, as the agent's own classes: loaded by the JVM from the jar, not through JarFile
        main.putValue("Boot-Class-Path", JAR_NAME);
        String entry = NullTransformerAgent.class.getName().replace('.', '/') + ".class";
        Path jar = directory.resolve(JAR_NAME);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream in = NullTransformerAgent.class.getClassLoader().getResourceAsStream(entry)) {
            if (in == null) {
                throw new IOException(entry + " not found");
            }
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }
}
