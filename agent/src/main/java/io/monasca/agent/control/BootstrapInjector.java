package io.monasca.agent.control;

import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.loading.ClassInjector;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Injects the agent's recording package (what the woven advice calls) into the bootstrap class loader, so that it is
 * reachable from classes of every class loader, including isolated and child-first ones that do not see the
 * application class path. The package depends on nothing but the JDK. Must not reference it itself.
 */
final class BootstrapInjector {
    static final String RECORDING_PACKAGE = "io.monasca.agent.recording.";
    private static final String RECORDER = RECORDING_PACKAGE + "Recorder";

    private BootstrapInjector() {
    }

    static void inject(Instrumentation instrumentation) throws IOException, URISyntaxException {
        if (alreadyInBootstrap()) {
            return; // attached again to a JVM where the agent already runs
        }
        File jar = new File(BootstrapInjector.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!jar.isFile()) {
            throw new IllegalStateException("the agent is not running from its jar (" + jar + ")");
        }
        System.err.println("[monasca-agent] WARN the jar is named " + jar.getName() + ", not monasca-persister-agent.jar"
                + " (its Boot-Class-Path): adding it to the boot class path at run time instead, which makes a JVM"
                + " with class-data sharing print a warning; keep the jar's name to avoid it");
        File folder = Files.createTempDirectory("monasca-agent-bootstrap").toFile();
        folder.deleteOnExit();
        try (JarFile jarFile = new JarFile(jar)) {
            ClassInjector.UsingInstrumentation
                    .of(folder, ClassInjector.UsingInstrumentation.Target.BOOTSTRAP, instrumentation)
                    .injectRaw(recordingClasses(jarFile), new ClassFileLocator.ForJarFile(jarFile));
        }
        File[] written = folder.listFiles();
        if (written != null) {
            for (File f : written) {
                f.deleteOnExit();
            }
        }
        if (!alreadyInBootstrap()) {
            throw new IllegalStateException("recording classes are not visible from the bootstrap class loader");
        }
    }

    private static Set<String> recordingClasses(JarFile jar) {
        Set<String> names = new LinkedHashSet<String>();
        String prefix = RECORDING_PACKAGE.replace('.', '/');
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            String entry = e.nextElement().getName();
            if (entry.startsWith(prefix) && entry.endsWith(".class")) {
                names.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
            }
        }
        return names;
    }

    private static boolean alreadyInBootstrap() {
        try {
            Class.forName(RECORDER, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
