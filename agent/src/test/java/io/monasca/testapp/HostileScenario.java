package io.monasca.testapp;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Loads and initializes the classes named by {@code -Dhostile.classes} (class files written by the weaver's tests),
 * then calls each of their {@code public static} methods that take one {@code int} with a few arguments and prints what each
 * returned or threw: the same lines must come out with and without the agent. With {@code wait}, it loads them,
 * prints READY and calls them once per line read from standard input (for attach and detach in between).
 */
final class HostileScenario {
    private static final int[] ARGUMENTS = {0, 1, 2, 3, 7};

    private HostileScenario() {
    }

    static void run(boolean wait) throws Exception {
        String[] names = System.getProperty("hostile.classes").split(",");
        Class<?>[] classes = new Class<?>[names.length];
        for (int i = 0; i < names.length; i++) {
            try {
                classes[i] = Class.forName(names[i], true, HostileScenario.class.getClassLoader());
            } catch (Throwable t) {
                System.out.println("LOAD-FAILED " + names[i] + " " + t);
            }
        }
        if (!wait) {
            callAll(classes);
            return;
        }
        System.out.println("READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            callAll(classes);
            System.out.println("CALLED");
        }
    }

    private static void callAll(Class<?>[] classes) {
        long calls = 0;
        for (Class<?> c : classes) {
            if (c == null) {
                continue;
            }
            Method[] methods = c.getDeclaredMethods();
            Arrays.sort(methods, Comparator.comparing(Method::getName));
            for (Method m : methods) {
                if (!Modifier.isStatic(m.getModifiers()) || !Modifier.isPublic(m.getModifiers())
                        || m.getParameterCount() != 1 || m.getParameterTypes()[0] != int.class) {
                    continue;
                }
                for (int argument : ARGUMENTS) {
                    calls++;
                    String call = c.getName() + "." + m.getName() + "(" + argument + ")";
                    try {
                        System.out.println("CALL " + call + " returned " + m.invoke(null, argument));
                    } catch (InvocationTargetException e) {
                        System.out.println("CALL " + call + " threw " + e.getCause());
                    } catch (Throwable t) {
                        System.out.println("CALL " + call + " failed " + t);
                    }
                }
            }
        }
        System.out.println("CALLS " + calls);
    }
}
