package io.monasca.agent.benchmarks.startup;

import monasca.persister.pipeline.event.AlarmStateTransitionHandler;
import monasca.persister.pipeline.event.MetricHandler;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The application the start-up benchmark runs, with and without the agent.
 *
 * <ul>
 *   <li>{@code empty}: loads nothing of its own.</li>
 *   <li>{@code load <dir>}: loads every class of every jar in {@code dir} (real libraries: kafka-clients, jackson,
 *       guava, snappy, lz4) through the application class loader, the same loader as the look-alikes of the Java
 *       persister's handlers, then calls the handlers once.</li>
 *   <li>{@code wait <dir>}: the same, then waits: a line {@code call} on stdin calls the handlers again.</li>
 *   <li>{@code churn <count> <classes>}: creates {@code count} class loaders over {@code classes}, each loading
 *       the look-alike handlers and calling them once, then dropped; prints the heap used after a GC every 500.</li>
 * </ul>
 * Prints {@code LOADED n}, {@code HWM kB} (the peak resident set, read from /proc as its last act) and the like.
 */
public final class StartupApp {
    private StartupApp() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "empty":
                break;
            case "load":
                load(Path.of(args[1]));
                break;
            case "wait":
                load(Path.of(args[1]));
                System.out.println("READY " + ProcessHandle.current().pid());
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.equals("call")) {
                        callHandlers();
                        System.out.println("CALLED");
                    }
                }
                break;
            case "churn":
                churn(Integer.parseInt(args[1]), Path.of(args[2]));
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
        System.out.println("HWM " + peakResidentKiB());
    }

    private static void load(Path libraries) throws IOException {
        ClassLoader loader = StartupApp.class.getClassLoader();
        int loaded = 0;
        int failed = 0;
        List<Path> jars = new ArrayList<>();
        try (var files = Files.list(libraries)) {
            files.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
        }
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
                    String entry = e.nextElement().getName();
                    if (!entry.endsWith(".class") || entry.startsWith("META-INF/") || entry.endsWith("module-info.class")) {
                        continue;
                    }
                    try {
                        Class.forName(entry.substring(0, entry.length() - 6).replace('/', '.'), false, loader);
                        loaded++;
                    } catch (LinkageError | ClassNotFoundException optionalDependencyMissing) {
                        failed++;
                    }
                }
            }
        }
        callHandlers();
        System.out.println("LOADED " + loaded + " FAILED " + failed);
    }

    private static int callHandlers() {
        MetricHandler metrics = new MetricHandler(10);
        AlarmStateTransitionHandler alarms = new AlarmStateTransitionHandler(10);
        int flushed = 0;
        for (int i = 0; i < 20; i++) {
            flushed += metrics.onEvent("m" + i) ? 1 : 0;
            flushed += alarms.onEvent("a" + i) ? 1 : 0;
        }
        return flushed;
    }

    /** Fresh loaders over the look-alike classes, each used once and dropped; heap used after GC every 500. */
    private static void churn(int count, Path classes) throws Exception {
        URL[] path = {classes.toUri().toURL()};
        for (int i = 1; i <= count; i++) {
            try (URLClassLoader loader = new URLClassLoader(path, null)) {
                Class<?> handler = loader.loadClass(MetricHandler.class.getName());
                Object instance = handler.getConstructor(int.class).newInstance(2);
                handler.getMethod("process", String.class).invoke(instance, "m");
                handler.getMethod("flushRepository").invoke(instance);
            }
            if (i % 500 == 0) {
                System.gc();
                Runtime r = Runtime.getRuntime();
                System.out.println("HEAP " + i + " " + (r.totalMemory() - r.freeMemory()));
            }
        }
    }

    /** VmHWM of this process in KiB, or -1 where /proc is not there. */
    static long peakResidentKiB() {
        File status = new File("/proc/self/status");
        try {
            for (String line : Files.readAllLines(status.toPath())) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
