package io.monasca.testapp;

import java.io.File;
import java.util.Enumeration;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads and initializes every class of the jars named by {@code -Dcorpus} (real libraries, javac's and scalac's
 * bytecode), so the JVM verifies each: with a target matching every class, each of their methods is woven. Prints
 * the count and every class that failed, with the error's class.
 */
final class CorpusScenario {
    private CorpusScenario() {
    }

    static void run() throws Exception {
        run(false);
    }

    /**
     * With {@code wait}: after loading them, prints READY and waits for standard input to close, so that an agent
     * can be attached (retransforming every class) and detached meanwhile.
     */
    static void run(boolean wait) throws Exception {
        ClassLoader loader = CorpusScenario.class.getClassLoader();
        int initialized = 0;
        TreeSet<String> failures = new TreeSet<>();
        for (String jar : System.getProperty("corpus").split(File.pathSeparator)) {
            try (JarFile file = new JarFile(jar)) {
                for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
                    String entry = e.nextElement().getName();
                    if (!entry.endsWith(".class") || entry.startsWith("META-INF/") || entry.endsWith("module-info.class")) {
                        continue;
                    }
                    String name = entry.substring(0, entry.length() - 6).replace('/', '.');
                    try {
                        Class.forName(name, true, loader);
                        initialized++;
                    } catch (Throwable t) {
                        Throwable cause = t instanceof ExceptionInInitializerError && t.getCause() != null ? t.getCause() : t;
                        failures.add(name + " " + cause.getClass().getName());
                    }
                }
            }
        }
        System.out.println("CORPUS initialized " + initialized + " failed " + failures.size());
        failures.forEach(f -> System.out.println("FAILED " + f));
        if (wait) {
            System.out.println("READY");
            while (System.in.read() >= 0) {
                // the test attaches and detaches meanwhile
            }
        }
    }
}
