package io.monasca.testapp;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Classes defined from bytes by a loader that serves no class files (as hosts of generated or downloaded code do):
 * {@code Sub extends Mid extends Base}, {@code TaskImpl implements MidTask extends Task}, and {@code Stranger extends
 * StrangerBase}, which has a method named like the targets' but is no target's subtype. Each hierarchy is loaded
 * bottom-up (the JVM's own order: the subclass first, its supertypes while it is being defined) by one loader and
 * top-down (supertypes first) by another. With {@code -javaagent}, a third loader defines {@code Sub} as a Java 1.4
 * class file (version 48), which cannot be woven to decide at run time: left untimed, said once.
 */
final class BytesScenario {
    private static final String P = "io.monasca.testapp.bytes.";
    private static final String[] CLASSES = {"Base", "Mid", "Sub", "Task", "MidTask", "TaskImpl", "StrangerBase",
            "Stranger"};
    private static final Map<String, byte[]> BYTES = read();

    /** Defines the scenario's classes from the bytes it holds; finds no resource (its parent is the boot loader). */
    static final class BytesLoader extends ClassLoader {
        /** A class defined as a Java 1.4 class file, or null. */
        private final String old;

        BytesLoader() {
            this(null);
        }

        BytesLoader(String old) {
            super(null);
            this.old = old;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = BYTES.get(name);
            if (b == null) {
                throw new ClassNotFoundException(name);
            }
            if (name.equals(old)) {
                b = b.clone();
                b[6] = 0; // major version 48: its StackMapTable is then an unknown attribute, ignored
                b[7] = 48;
            }
            return defineClass(name, b, 0, b.length);
        }
    }

    /** The instances whose {@code work} is called, with the factor of each. */
    private final List<Object> workers = new ArrayList<>();
    private final List<Integer> factors = new ArrayList<>();
    private int targetWorkers;

    private BytesScenario() {
    }

    /** {@code -javaagent}: loads every hierarchy both ways and calls each {@code work} {@code calls} times. */
    static void run(int calls) throws Exception {
        BytesScenario s = loaded();
        BytesLoader old = new BytesLoader(P + "Sub");
        s.add(old.loadClass(P + "Sub"), 2, false);
        s.call(calls);
    }

    /** Loads everything, then each 'c' on stdin calls each work once, and each 'n' loads (bottom-up) anew and calls. */
    static void waitForStdin() throws Exception {
        BytesScenario s = loaded();
        s.call(1); // before an attach: not counted
        System.out.println("READY " + ProcessHandle.current().pid());
        int b;
        while ((b = System.in.read()) >= 0) {
            if (b == 'c') {
                s.call(1);
                System.out.println("CALLED");
            } else if (b == 'n') {
                BytesScenario fresh = new BytesScenario();
                fresh.bottomUp(new BytesLoader());
                fresh.call(1);
                System.out.println("CALLED");
            }
        }
    }

    private static BytesScenario loaded() throws Exception {
        BytesScenario s = new BytesScenario();
        s.bottomUp(new BytesLoader());
        s.topDown(new BytesLoader());
        return s;
    }

    private void bottomUp(BytesLoader loader) throws Exception {
        TestApp.check(loader.getResource(P.replace('.', '/') + "Sub.class") == null, "the loader serves no resources");
        add(loader.loadClass(P + "Sub"), 2, true);
        add(loader.loadClass(P + "TaskImpl"), 3, true);
        add(loader.loadClass(P + "Stranger"), 5, false);
    }

    private void topDown(BytesLoader loader) throws Exception {
        for (String name : new String[]{"Base", "Mid", "Task", "MidTask", "StrangerBase"}) {
            loader.loadClass(P + name);
        }
        add(loader.loadClass(P + "Sub"), 2, true);
        add(loader.loadClass(P + "TaskImpl"), 3, true);
        add(loader.loadClass(P + "Stranger"), 5, false);
    }

    private void add(Class<?> type, int factor, boolean target) throws Exception {
        TestApp.check(type.getClassLoader() instanceof BytesLoader, type + " defined from bytes");
        workers.add(type.getConstructor().newInstance());
        factors.add(factor);
        if (target) {
            targetWorkers++;
        }
    }

    private void call(int times) throws Exception {
        for (int i = 0; i < times; i++) {
            for (int w = 0; w < workers.size(); w++) {
                Object worker = workers.get(w);
                Method work = worker.getClass().getMethod("work", int.class);
                TestApp.check((Integer) work.invoke(worker, i + 7) == factors.get(w) * (i + 7), "work result");
            }
        }
        TestApp.expect("base.completed", (long) times * targetWorkers / 2);
        TestApp.expect("task.completed", (long) times * targetWorkers / 2);
    }

    private static Map<String, byte[]> read() {
        Map<String, byte[]> bytes = new HashMap<>();
        for (String name : CLASSES) {
            try (InputStream in = BytesScenario.class.getResourceAsStream("/" + (P + name).replace('.', '/') + ".class")) {
                bytes.put(P + name, in.readAllBytes());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return bytes;
    }
}
