package io.monasca.agent.match;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Answers "which target types is this class a subtype of?" from class-file bytes alone, so that no class needs a type
 * description or has to be loaded to be matched. A supertype the loader has not shown the agent yet (it is usually
 * loaded right after its subclass) is read once through the loader's resources, as the JVM will resolve it, and
 * remembered per loader. A supertype that is neither known nor readable (a loader that defines classes from bytes
 * serves none) leaves the answer {@linkplain Unresolved unresolved}: the bits found are a lower bound, never taken as
 * final. A class already loaded (retransformation, a deferred site's first call) is answered exactly from its class
 * objects instead. Loaders are held weakly: their entries go with them.
 */
final class HierarchyIndex {
    /** Deeper than any real hierarchy: guards against cycles in malformed class files. */
    private static final int MAX_DEPTH = 64;

    private final TargetTypes targets;
    private final Map<ClassLoader, LoaderTypes> byLoader = new WeakHashMap<ClassLoader, LoaderTypes>();
    /** The loader asked last and its entry: most classes come from the loader of the class before them. */
    private volatile Last last;

    private static final class Last {
        final java.lang.ref.WeakReference<ClassLoader> loader;
        final LoaderTypes types;

        Last(ClassLoader loader, LoaderTypes types) {
            this.loader = new java.lang.ref.WeakReference<ClassLoader>(loader);
            this.types = types;
        }
    }

    /** Set when some supertype could be neither found among the known classes nor read. */
    static final class Unresolved {
        boolean any;
    }

    HierarchyIndex(TargetTypes targets) {
        this.targets = targets;
    }

    /** The loader's entry, created on first use. */
    LoaderTypes typesOf(ClassLoader loader) {
        Last recent = last;
        if (recent != null && recent.loader.get() == loader) {
            return recent.types;
        }
        LoaderTypes types = lookUp(loader);
        last = new Last(loader, types);
        return types;
    }

    private LoaderTypes lookUp(ClassLoader loader) {
        synchronized (byLoader) {
            LoaderTypes types = byLoader.get(loader);
            if (types == null) {
                types = new LoaderTypes();
                byLoader.put(loader, types);
            }
            return types;
        }
    }

    /** The loader's entry if it has one, without creating it. */
    LoaderTypes existingTypesOf(ClassLoader loader) {
        synchronized (byLoader) {
            return byLoader.get(loader);
        }
    }

    /**
     * Target bits of class {@code name} being defined by {@code loader}, whose supertypes are {@code supertypes}; with
     * {@code unresolved} set, only those known so far.
     */
    long bitsOf(ClassLoader loader, LoaderTypes types, String name, String[] supertypes, Unresolved unresolved) {
        long bits = targets.bitOf(name);
        for (String supertype : supertypes) {
            bits |= resolve(loader, types, supertype, 0, unresolved);
        }
        remember(types, name, bits, unresolved.any);
        return bits;
    }

    /** Target bits of a class visible from {@code loader}, by name, as far as known. */
    long resolve(ClassLoader loader, LoaderTypes types, String name, int depth) {
        return resolve(loader, types, name, depth, new Unresolved());
    }

    /** Target bits of a class visible from {@code loader}, by name: remembered, or read from its class file. */
    private long resolve(ClassLoader loader, LoaderTypes types, String name, int depth, Unresolved unresolved) {
        long self = targets.bitOf(name);
        if (!targets.anyJdkType && TargetTypes.isJdk(name)) {
            return self;
        }
        Long known = types.known(name);
        if (known != null) {
            return known;
        }
        Long partial = types.partiallyKnown(name);
        if (partial != null) {
            unresolved.any = true;
            return partial;
        }
        byte[] bytes = depth < MAX_DEPTH ? read(loader, name) : null;
        if (bytes == null) { // not shown to the agent yet, and not readable: the class decides when it runs
            unresolved.any = true;
            types.rememberPartially(name, self);
            return self;
        }
        long bits = self;
        Unresolved above = new Unresolved();
        for (String supertype : ClassHeader.parseOwned(bytes).supertypes()) {
            bits |= resolve(loader, types, supertype, depth + 1, above);
        }
        remember(types, name, bits, above.any);
        unresolved.any |= above.any;
        return bits;
    }

    private static void remember(LoaderTypes types, String name, long bits, boolean partially) {
        if (partially) {
            types.rememberPartially(name, bits);
        } else {
            types.remember(name, bits);
        }
    }

    /**
     * Exact target bits of a loaded class, from its class objects: no class file read, nothing loaded, no application
     * code run. Remembered for the class's loader with those of its supertypes that loader defined.
     */
    long bitsOf(Class<?> loaded) {
        ClassLoader loader = loaded.getClassLoader();
        return bitsOf(loaded, loader, loader == null ? null : typesOf(loader));
    }

    private long bitsOf(Class<?> c, ClassLoader loader, LoaderTypes types) {
        String name = c.getName().replace('.', '/');
        long bits = targets.bitOf(name);
        if (!targets.anyJdkType && TargetTypes.isJdk(name)) {
            return bits;
        }
        Class<?> superclass = c.getSuperclass();
        if (superclass != null) {
            bits |= bitsOf(superclass, loader, types);
        }
        for (Class<?> i : c.getInterfaces()) {
            bits |= bitsOf(i, loader, types);
        }
        if (types != null && c.getClassLoader() == loader) {
            types.remember(name, bits);
        }
        return bits;
    }

    /**
     * Whether the class {@code name}, as {@code loader} sees it, is {@code target} or a subtype of it (JDK types
     * included). Not remembered: for the few result types of timed methods.
     */
    static boolean reaches(ClassLoader loader, String name, String target, int depth) {
        if (name.equals(target)) {
            return true;
        }
        byte[] bytes = depth < MAX_DEPTH ? read(loader, name) : null;
        if (bytes == null) {
            return false;
        }
        for (String supertype : ClassHeader.parseOwned(bytes).supertypes()) {
            if (reaches(loader, supertype, target, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    /** The class file of {@code name} as {@code loader} finds it, or null. */
    static byte[] read(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name + ".class")) {
            if (in == null) {
                return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
            byte[] buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
