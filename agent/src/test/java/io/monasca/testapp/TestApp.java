package io.monasca.testapp;

import monasca.persister.pipeline.event.AlarmStateTransitionHandler;
import monasca.persister.pipeline.event.MetricHandler;
import monasca.persister.repository.RepoException;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The application the forked-JVM tests run with {@code -javaagent:}. It checks itself that every result and
 * exception is unchanged (exit code 3 otherwise) and prints the ground truth as {@code EXPECT key=value} lines.
 */
public final class TestApp {
    private static final Map<String, AtomicLong> EXPECT = new TreeMap<>();

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        long idleAfterMillis = Long.getLong("idle", 0);
        switch (scenario) {
            case "persister":
                persister(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
                break;
            case "work":
                work();
                break;
            case "repository":
                repository();
                break;
            case "isolated":
                isolated();
                break;
            case "overflow":
                overflow(Integer.parseInt(args[1]));
                break;
            case "spin":
                spin(Long.parseLong(args[1]));
                break;
            case "wait":
                waitForStdin();
                break;
            case "hierarchy":
                HierarchyScenario.run();
                break;
            case "bytes":
                BytesScenario.run(Integer.parseInt(args[1]));
                break;
            case "bytes-wait":
                BytesScenario.waitForStdin();
                break;
            case "threads":
                ReliabilityScenarios.threads(Integer.parseInt(args[1]));
                break;
            case "loaders":
                ReliabilityScenarios.loaders(Integer.parseInt(args[1]));
                break;
            case "spin-threads":
                ReliabilityScenarios.spin(Integer.parseInt(args[1]), Long.parseLong(args[2]));
                break;
            case "rate":
                ReliabilityScenarios.rate(Long.parseLong(args[1]));
                break;
            case "corpus":
                CorpusScenario.run(args.length > 1 && args[1].equals("wait"));
                break;
            case "hostile-classes":
                HostileScenario.run(args.length > 1 && args[1].equals("wait"));
                break;
            case "kinds":
                ReliabilityScenarios.kinds();
                break;
            case "hostile":
                ReliabilityScenarios.hostile();
                break;
            case "durations":
                DurationsScenario.run(Integer.parseInt(args[1]));
                break;
            case "sockets":
                ReliabilityScenarios.sockets(Long.parseLong(args[1]));
                break;
            default:
                throw new IllegalArgumentException(scenario);
        }
        for (Map.Entry<String, AtomicLong> e : EXPECT.entrySet()) {
            System.out.println("EXPECT " + e.getKey() + "=" + e.getValue());
        }
        System.out.println("RESULTS-OK");
        Thread.sleep(idleAfterMillis); // quiet intervals before exit
    }

    static void expect(String key, long delta) {
        synchronized (EXPECT) {
            EXPECT.computeIfAbsent(key, k -> new AtomicLong()).addAndGet(delta);
        }
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            System.out.println("RESULTS-WRONG " + what);
            System.exit(3);
        }
    }

    /** Threads named like the Java persister's, each driving a look-alike MetricHandler through onEvent. */
    static void persister(int threads, int messages) throws Exception {
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int index = t;
            Thread worker = new Thread(() -> runHandler(index, messages), "metric-" + t);
            workers.add(worker);
            worker.start();
        }
        Thread alarms = new Thread(() -> {
            AlarmStateTransitionHandler handler = new AlarmStateTransitionHandler(2);
            for (int i = 0; i < 5; i++) {
                try {
                    handler.onEvent("alarm" + i);
                } catch (RepoException e) {
                    throw new IllegalStateException(e);
                }
            }
        }, "alarm-state-transition-0");
        alarms.start();
        workers.add(alarms);
        for (Thread w : workers) {
            w.join();
        }
        expect("alarm_upsert.completed", 5);
        expect("alarm_flush.completed", 2);
        expect("alarm_flush.items", 4);
    }

    /**
     * Drives the look-alike handler as the Java persister's consumer does: {@code onEvent} per Kafka message (and
     * heartbeats), which calls {@code process} and, when the batch is full, {@code flush} -> {@code flushRepository}.
     * Mirrors the handler's batch arithmetic to know the ground truth, and checks every result and exception.
     */
    private static void runHandler(int index, int messages) {
        MetricHandler handler = new MetricHandler(20);
        String thread = Thread.currentThread().getName();
        int batched = 0;
        int pending = 0;
        boolean failureArmed = false;
        for (int i = 0; i < messages; i++) {
            if (i % 7 == 3) {
                try {
                    check(!handler.onEvent(null), "heartbeat result");
                } catch (RepoException e) {
                    check(false, "heartbeat threw");
                }
            }
            String message = i % 10 == 9 ? "bad message" : "m1;m2";
            int metrics = message.startsWith("bad") ? 0 : 2;
            expect("upsert.completed", 1);
            expect("upsert.items", metrics);
            expect("upsert.thread.completed|" + thread, 1);
            batched += metrics;
            pending += metrics;
            if (index == 1 && i == 25) {
                handler.failNextFlush();
                failureArmed = true;
            }
            boolean full = batched >= 20;
            try {
                boolean flushed = handler.onEvent(message);
                check(flushed == full && !(full && failureArmed), "onEvent result");
                if (full) {
                    expect("flush.completed", 1);
                    expect("flush.items", pending);
                    batched = 0;
                    pending = 0;
                }
            } catch (RepoException e) {
                check(full && failureArmed && e.getMessage().equals("database down"), "exception unchanged");
                expect("flush.failed", 1);
                failureArmed = false;
            }
            pause(i);
        }
    }

    /** Spreads work over several agent intervals. */
    private static void pause(int i) {
        if (i % 10 == 0) {
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void work() throws Exception {
        Work w = new Work();
        for (int i = 0; i < 5; i++) {
            w.sleepMillis(20);
        }
        check(w.count(3) == 3 && w.countLong(4L) == 4L, "int/long results");
        check(w.list(5).size() == 5 && w.array(6).length == 6, "collection/array results");
        check(w.text().equals("unchanged"), "object result");
        check(w.recurse(4) == 4, "recursion result");
        try {
            w.fail("boom");
            check(false, "exception expected");
        } catch (IllegalStateException e) {
            check(e.getMessage().equals("boom") && e.getStackTrace()[0].getMethodName().equals("fail"),
                    "exception unchanged");
        }
        expect("sleep.completed", 5);
        // count, countLong, list, array, text, recurse (outer call only), fail
        expect("calc.received", 7);
        expect("calc.completed", 6);
        expect("calc.failed", 1);
        expect("calc.items", 3 + 4 + 5 + 6 + 4);
    }

    static void repository() {
        check(new Repository.InheritingRepository().write(5) == 5, "inherited result");
        check(new Repository.OwnRepository().write(5) == 10, "own result");
        check(new Repository.Derived().helper() == 7, "helper result");
        expect("write.completed", 2);
        expect("write.items", 15);
    }

    /** A class loader that sees only the bootstrap loader and test-classes, as in plugin hosts. */
    static void isolated() throws Exception {
        String classes = new File(TestApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        try (URLClassLoader isolated = new URLClassLoader(new URL[]{new File(classes).toURI().toURL()}, null)) {
            Class<?> work = isolated.loadClass(Work.class.getName());
            check(work.getClassLoader() == isolated, "loaded in isolation");
            Object instance = work.getConstructor().newInstance();
            Object result = work.getMethod("count", int.class).invoke(instance, 9);
            check(Integer.valueOf(9).equals(result), "isolated result");
        }
        expect("calc.completed", 1);
        expect("calc.items", 9);
    }

    private static long completedByApp;

    /**
     * Stack overflows right around the timed method, as deep recursion in an application does, then ordinary calls:
     * the agent may lose the one call it was timing when the stack ran out, but must go on timing afterwards.
     */
    static void overflow(int storms) {
        Work w = new Work();
        for (int i = 0; i < storms; i++) {
            try {
                descend(w);
            } catch (StackOverflowError expected) {
                // unwound to here
            }
        }
        pauseMillis(Long.getLong("gap", 0)); // quiet intervals between the overflows and the ordinary calls
        for (int i = 0; i < 1000; i++) {
            check(w.count(1) == 1, "result after overflows");
            completedByApp++;
        }
        expect("calc.completed", completedByApp);
        expect("storms", storms);
    }

    private static void pauseMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void descend(Work w) {
        if (w.count(1) == 1) {
            completedByApp++;
        }
        descend(w);
    }

    /** Calls a timed method for the given milliseconds and prints how many calls it made. */
    static void spin(long millis) {
        Work w = new Work();
        long calls = 0;
        long sum = 0;
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                sum += w.count(i & 1);
            }
            calls += 1000;
        }
        System.out.println("CALLS " + calls + " " + (sum > 0));
        expect("calc.completed", calls);
        expect("calc.items", sum);
    }

    static void waitForStdin() throws Exception {
        System.out.println("READY " + Arrays.toString(new String[]{ProcessHandle.current().pid() + ""}));
        Work w = new Work();
        int b;
        while ((b = System.in.read()) >= 0) {
            if (b == 'c') {
                w.count(1);
                System.out.println("CALLED");
            }
        }
    }
}
