package io.monasca.agent.advice;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/** Defines given classes from given bytes, child first; everything else comes from the test's own loader. */
final class WovenLoader extends ClassLoader {
    private final Map<String, byte[]> classes = new HashMap<>();

    WovenLoader() {
        super(WovenLoader.class.getClassLoader());
    }

    WovenLoader with(String name, byte[] bytes) {
        classes.put(name, bytes);
        return this;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            byte[] bytes = classes.get(name);
            if (bytes == null) {
                return super.loadClass(name, resolve);
            }
            Class<?> c = findLoadedClass(name);
            return c != null ? c : defineClass(name, bytes, 0, bytes.length);
        }
    }

    static byte[] classFile(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream("/" + type.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Weaves every timeable method of a class file as operation {@code op}. */
    static byte[] weaveAll(byte[] classFile, int op) {
        return weaveAll(classFile, op, false);
    }

    /** The same, asking any returned collection its size ({@code items.<op>=size}) when {@code anySize}. */
    static byte[] weaveAll(byte[] classFile, int op, boolean anySize) {
        TimingWeaver.Result r = TimingWeaver.weave(classFile, new TimingWeaver.Selector() {
            @Override
            public int operationFor(String name, String descriptor, int access) {
                return op;
            }

            @Override
            public boolean asksAnySize(int operation) {
                return anySize;
            }

            @Override
            public boolean isCollection(String internalName) {
                return internalName.startsWith("java/util/") && (internalName.endsWith("List")
                        || internalName.endsWith("Set") || internalName.endsWith("Collection"));
            }
        });
        return r == null || r.bytes == null ? classFile : r.bytes;
    }
}
