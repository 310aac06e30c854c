package io.monasca.agent.recording;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The collection classes whose {@code size()} the agent may call: the JDK's own, exactly these classes (not their
 * subclasses), each answering from a field of its own or of a JDK object it owns, with no lock, no iteration and no
 * call into the application. Wrappers (unmodifiable, synchronized, checked) and views of a map or set the
 * application may have subclassed are not here: their size is the wrapped object's, which may be anything.
 */
final class KnownSizes {
    private static final Class<?>[] CLASSES = known();

    private KnownSizes() {
    }

    private static Class<?>[] known() {
        java.util.List<Class<?>> classes = new java.util.ArrayList<Class<?>>();
        Collections.addAll(classes, ArrayList.class, LinkedList.class, ArrayDeque.class, HashSet.class,
                LinkedHashSet.class, PriorityQueue.class, CopyOnWriteArrayList.class,
                Arrays.asList().getClass(), Collections.emptyList().getClass(), Collections.emptySet().getClass(),
                Collections.singletonList(null).getClass(), Collections.singleton(null).getClass(),
                new HashMap<Object, Object>().keySet().getClass(), new HashMap<Object, Object>().values().getClass(),
                new HashMap<Object, Object>().entrySet().getClass(),
                new ConcurrentHashMap<Object, Object>().keySet().getClass(),
                new ConcurrentHashMap<Object, Object>().values().getClass());
        // Java 9+: List.of, Set.of (ImmutableCollections); by name, so the agent still compiles for Java 8
        for (String name : new String[]{"java.util.ImmutableCollections$ListN", "java.util.ImmutableCollections$List12",
                "java.util.ImmutableCollections$SetN", "java.util.ImmutableCollections$Set12",
                "java.util.ImmutableCollections$SubList"}) {
            try {
                classes.add(Class.forName(name, false, null));
            } catch (ClassNotFoundException | LinkageError absent) {
                // an older JDK: nothing to add
            }
        }
        return classes.toArray(new Class<?>[0]);
    }

    /** The collection's size when its class is one of these, else -1 (its size would run code nobody vetted). */
    static long of(Collection<?> collection) {
        if (collection == null) {
            return 0;
        }
        Class<?> type = collection.getClass();
        for (Class<?> known : CLASSES) {
            if (known == type) {
                return collection.size();
            }
        }
        return -1;
    }
}
