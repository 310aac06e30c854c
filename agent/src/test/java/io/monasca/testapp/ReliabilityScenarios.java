package io.monasca.testapp;

import javax.management.ObjectName;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** Scenarios of the reliability tests: churn, long runs, method kinds, hostile names, sockets. Figures on stdout. */
final class ReliabilityScenarios {
    private ReliabilityScenarios() {
    }

    /** A thread per task, as some pools do: {@code n} threads, each calling a timed method once, four at a time. */
    static void threads(int n) throws Exception {
        Work w = new Work();
        int quarter = n / 4;
        for (int done = 0; done < n; ) {
            List<Thread> batch = new ArrayList<>();
            for (int i = 0; i < 4 && done < n; i++, done++) {
                Thread t = new Thread(() -> w.count(1), "task-" + done);
                batch.add(t);
                t.start();
            }
            for (Thread t : batch) {
                t.join();
            }
            if (done % quarter == 0) {
                Thread.sleep(300); // let the exporter read the ended threads' cells
                System.out.println("HEAP " + done + " " + heapAfterGc());
                System.out.println("EXPORT-MICROS " + done + " " + agentAttribute("LastExportMicros"));
            }
        }
        TestApp.expect("calc.completed", n);
    }

    /** Fresh class loaders, each loading the timed class, calling it once and dropped: none may stay reachable. */
    static void loaders(int n) throws Exception {
        URL classes = Path.of(Work.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toUri().toURL();
        List<WeakReference<ClassLoader>> dropped = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            URLClassLoader loader = new URLClassLoader(new URL[]{classes}, null);
            Class<?> work = loader.loadClass(Work.class.getName());
            Object result = work.getMethod("count", int.class).invoke(work.getConstructor().newInstance(), 1);
            TestApp.check(Integer.valueOf(1).equals(result), "result in loader " + i);
            loader.close();
            dropped.add(new WeakReference<>(loader));
            if (i % (n / 4) == 0) {
                Thread.sleep(300);
                System.out.println("HEAP " + i + " " + heapAfterGc());
            }
        }
        long alive = dropped.size();
        for (int attempt = 0; attempt < 20 && alive > 0; attempt++) {
            heapAfterGc();
            alive = dropped.stream().filter(r -> r.get() != null).count();
        }
        System.out.println("LOADERS-ALIVE " + alive);
        TestApp.expect("calc.completed", n);
    }

    /** {@code threads} threads calling a timed method {@code calls} times in all, as fast as they can. */
    static void spin(int threads, long calls) throws Exception {
        Work w = new Work();
        AtomicLong made = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        long perThread = calls / threads;
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                long sum = 0;
                for (long i = 0; i < perThread; i++) {
                    sum += w.count(1);
                }
                made.addAndGet(sum);
            }, "spinner-" + t);
            workers.add(worker);
            worker.start();
        }
        long start = System.nanoTime();
        while (workers.stream().anyMatch(Thread::isAlive)) {
            Thread.sleep(Math.max(100, calls / 1_000_000));
            System.out.println("HEAP " + (System.nanoTime() - start) / 1_000_000 + " " + heapAfterGc());
        }
        for (Thread worker : workers) {
            worker.join();
        }
        System.out.println("CALLS " + made.get() + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        TestApp.expect("calc.completed", made.get());
    }

    /** Calls a timed method for {@code millis} ms on one thread and prints the rate: the application's throughput. */
    static void rate(long millis) {
        Work w = new Work();
        long calls = 0;
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                calls += w.count(1);
            }
        }
        System.out.println("CALLS-PER-MS " + calls / millis);
        TestApp.expect("calc.completed", calls);
    }

    /** Every kind of method, with its result or exception checked. */
    static void kinds() throws Exception {
        Kinds k = new Kinds();
        TestApp.check(Kinds.staticCount(2) == 2 && k.synchronizedCount(3) == 3 && k.abstractCount(4) == 4,
                "static, synchronized, abstract-implementing results");
        Comparable<Kinds> comparable = k;
        TestApp.check(comparable.compareTo(k) == 0, "through the bridge");
        TestApp.check(k.defaultCount(5) == 5, "default method result");
        try {
            k.throwsChecked();
            TestApp.check(false, "checked exception expected");
        } catch (Exception e) {
            TestApp.check(e.getMessage().equals("checked"), "checked exception unchanged");
        }
        try {
            k.throwsError();
            TestApp.check(false, "Error expected");
        } catch (AssertionError e) {
            TestApp.check(e.getMessage().equals("an Error"), "Error unchanged");
        }
        k.lambda().run();
        TestApp.check(k.longCall(1500) == 1, "long call result");
        // timed as kinds: staticCount x2 (one through the lambda), synchronizedCount, abstractCount, compareTo,
        // throwsChecked, throwsError, lambda, longCall
        TestApp.expect("kinds.received", 9);
        TestApp.expect("kinds.failed", 2);
        TestApp.expect("dflt.completed", 1);
    }

    /** Threads whose names hold statsd and Python-literal syntax, line breaks and broken UTF-16. */
    static void hostile() throws Exception {
        String[] names = {"a\nmonasca.persister.fake:1|c", "b|c|#{'x': 'y'}", "c'}\", 'thread': 'd", "e{f}g,h=i;j&k",
                "l#m:n", "o\ud800p", "q\\r\tS"};
        Work w = new Work();
        for (String name : names) {
            Thread t = new Thread(() -> w.count(1), name);
            t.start();
            t.join();
        }
        TestApp.expect("calc.completed", names.length);
        TestApp.expect("threads", names.length);
    }

    /**
     * The sockets of this process, from /proc: TCP ones listening, UDP ones not connected to a peer. Printed after
     * the agent has sent a few intervals.
     */
    static void sockets(long waitMillis) throws Exception {
        new Work().count(1);
        Thread.sleep(waitMillis);
        Set<String> inodes = new HashSet<>();
        File[] fds = new File("/proc/self/fd").listFiles();
        for (File fd : fds == null ? new File[0] : fds) {
            try {
                String link = Files.readSymbolicLink(fd.toPath()).toString();
                if (link.startsWith("socket:[")) {
                    inodes.add(link.substring(8, link.length() - 1));
                }
            } catch (java.io.IOException gone) {
                // closed meanwhile
            }
        }
        for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
            List<String> rows = Files.readAllLines(Path.of("/proc/self/net/" + table));
            for (String row : rows.subList(1, rows.size())) {
                String[] f = row.trim().split("\\s+");
                if (!inodes.contains(f[9])) {
                    continue;
                }
                boolean listening = table.startsWith("tcp") && f[3].equals("0A");
                boolean unconnected = table.startsWith("udp") && f[2].matches("0+:0000");
                System.out.println("SOCKET " + table + " local " + f[1] + " remote " + f[2]
                        + (listening ? " LISTENING" : "") + (unconnected ? " UNCONNECTED" : ""));
            }
        }
        TestApp.expect("calc.completed", 1);
    }

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(20);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** An attribute of the agent's MBean, read in this JVM (the agent registers it once the MBean server exists). */
    static Object agentAttribute(String attribute) throws Exception {
        ObjectName name = new ObjectName("io.monasca.agent:type=Agent");
        var server = ManagementFactory.getPlatformMBeanServer();
        for (int i = 0; i < 50 && !server.isRegistered(name); i++) {
            Thread.sleep(100);
        }
        return server.getAttribute(name, attribute);
    }
}
