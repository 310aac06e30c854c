package io.monasca.agent.control;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Makes the agent's recording package (what the woven code calls) visible from the bootstrap class loader, so that
 * classes of every class loader reach it, isolated and child-first ones included. Normally the jar's manifest
 * ({@code Boot-Class-Path}) has done so already; under another file name the package is copied into a jar of its own
 * and appended to the bootstrap search path (only that package: the rest of the agent stays in its loader). The
 * package depends on nothing but the JDK. Must not reference it itself.
 */
final class BootstrapInjector {
    static final String RECORDING_PACKAGE = "io/monasca/agent/recording/";
    private static final String RECORDER = "io.monasca.agent.recording.Recorder";

    private BootstrapInjector() {
    }

    static void inject(Instrumentation instrumentation) throws IOException, URISyntaxException {
        if (alreadyInBootstrap()) {
            return; // Boot-Class-Path, or an earlier attach
        }
        File jar = new File(BootstrapInjector.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!jar.isFile()) {
            throw new IllegalStateException("the agent is not running from its jar (" + jar + ")");
        }
        System.err.println("[monasca-agent] WARN the jar is named " + jar.getName() + ", not monasca-persister-agent.jar"
                + " (its Boot-Class-Path): adding its recording classes to the boot class path at run time instead,"
                + " which makes a JVM with class-data sharing print a warning; keep the jar's name to avoid it");
        File recording = File.createTempFile("monasca-agent-recording", ".jar");
        recording.deleteOnExit();
        try (JarFile agent = new JarFile(jar); JarOutputStream out = new JarOutputStream(new FileOutputStream(recording))) {
            for (Enumeration<JarEntry> e = agent.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                if (entry.getName().startsWith(RECORDING_PACKAGE) && entry.getName().endsWith(".class")) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream in = agent.getInputStream(entry)) {
                        byte[] buffer = new byte[8192];
                        for (int n; (n = in.read(buffer)) > 0; ) {
                            out.write(buffer, 0, n);
                        }
                    }
                    out.closeEntry();
                }
            }
        }
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(recording));
        if (!alreadyInBootstrap()) {
            throw new IllegalStateException("recording classes are not visible from the bootstrap class loader");
        }
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
