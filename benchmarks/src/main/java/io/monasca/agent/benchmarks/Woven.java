package io.monasca.agent.benchmarks;

import io.monasca.agent.advice.TimingWeaver;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Classes defined anew in a throwaway child-first loader, some woven by the agent's own weaver (the originals stay
 * plain in the benchmarks' class loader). Everything else the new classes use comes from that loader, the agent's
 * recorder included, as it does when the agent runs.
 */
public final class Woven {
    private Woven() {
    }

    /** {@code type} with its methods named {@code method} timed as operation {@code operation}. */
    public static Class<?> load(Class<?> type, String method, int operation) throws IOException, ClassNotFoundException {
        return define(type, Map.of(type, weave(type, Map.of(method, operation))));
    }

    /** The class file of {@code type}, as its loader has it. */
    public static byte[] bytes(Class<?> type) throws IOException {
        String resource = type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no class file " + resource);
            }
            return in.readAllBytes();
        }
    }

    /** The class file of {@code type} with the methods named in {@code operations} timed as their operation. */
    public static byte[] weave(Class<?> type, Map<String, Integer> operations) throws IOException {
        TimingWeaver.Result woven = TimingWeaver.weave(bytes(type), new TimingWeaver.Selector() {
            @Override
            public int operationFor(String name, String descriptor, int access) {
                return operations.getOrDefault(name, -1);
            }

            @Override
            public boolean isCollection(String internalName) {
                return false;
            }
        });
        if (woven == null || woven.methods.size() < operations.size()) {
            throw new IllegalStateException("the weaver did not time all of " + operations.keySet() + " in " + type);
        }
        return woven.bytes;
    }

    /**
     * Defines each class of {@code classes} from its bytes in a new child-first loader over the loader of
     * {@code entry}, and returns that loader's {@code entry}.
     */
    public static Class<?> define(Class<?> entry, Map<Class<?>, byte[]> classes) throws ClassNotFoundException {
        Map<String, byte[]> byName = new HashMap<>();
        classes.forEach((type, bytes) -> byName.put(type.getName(), bytes));
        return new ClassLoader(entry.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                byte[] bytes = byName.get(name);
                if (bytes == null) {
                    return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    return c != null ? c : defineClass(name, bytes, 0, bytes.length);
                }
            }
        }.loadClass(entry.getName());
    }
}
