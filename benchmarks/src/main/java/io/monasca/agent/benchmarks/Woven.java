package io.monasca.agent.benchmarks;

import io.monasca.agent.advice.TimingWeaver;

import java.io.IOException;
import java.io.InputStream;

/** A class woven by the agent's own weaver, defined in a throwaway child-first loader (the original stays plain). */
public final class Woven {
    private Woven() {
    }

    /** {@code type} with its methods named {@code method} timed as operation {@code operation}. */
    public static Class<?> load(Class<?> type, String method, int operation) throws IOException, ClassNotFoundException {
        String resource = type.getName().replace('.', '/') + ".class";
        byte[] original;
        try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
            original = in.readAllBytes();
        }
        TimingWeaver.Result woven = TimingWeaver.weave(original, new TimingWeaver.Selector() {
            @Override
            public int operationFor(String name, String descriptor, int access) {
                return name.equals(method) ? operation : -1;
            }

            @Override
            public boolean isCollection(String internalName) {
                return false;
            }
        });
        byte[] bytes = woven.bytes;
        return new ClassLoader(type.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals(type.getName())) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> c = findLoadedClass(name);
                        return c != null ? c : defineClass(name, bytes, 0, bytes.length);
                    }
                }
                return super.loadClass(name, resolve);
            }
        }.loadClass(type.getName());
    }
}
