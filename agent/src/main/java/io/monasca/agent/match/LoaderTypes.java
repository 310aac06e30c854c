package io.monasca.agent.match;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the agent knows about the classes of one class loader: for each class name resolved so far, the bits of the
 * target types it is a subtype of (0: none); for names whose hierarchy the loader could not show completely (it
 * serves no class file for some supertype), the bits known so far, which are not final; and which classes it wove.
 * Holds no reference to the loader, so it goes with it.
 */
final class LoaderTypes {
    private final ConcurrentHashMap<String, Long> bits = new ConcurrentHashMap<String, Long>();
    private final ConcurrentHashMap<String, Long> partialBits = new ConcurrentHashMap<String, Long>();
    private final Set<String> woven = ConcurrentHashMap.newKeySet();
    /** Result types of woven methods: whether each is a {@code java.util.Collection}. */
    private final ConcurrentHashMap<String, Boolean> collections = new ConcurrentHashMap<String, Boolean>();

    Long known(String internalName) {
        return bits.get(internalName);
    }

    void remember(String internalName, long targetBits) {
        bits.put(internalName, targetBits); // mostly 0, from Long.valueOf's cache
    }

    /** Bits of a class some of whose supertypes are unknown: a subtype of these at least. Null if none recorded. */
    Long partiallyKnown(String internalName) {
        return partialBits.get(internalName);
    }

    void rememberPartially(String internalName, long targetBits) {
        partialBits.put(internalName, targetBits);
    }

    void woven(String internalName) {
        woven.add(internalName);
    }

    boolean isWoven(String internalName) {
        return woven.contains(internalName);
    }

    Boolean isCollection(String internalName) {
        return collections.get(internalName);
    }

    void collection(String internalName, boolean isCollection) {
        collections.put(internalName, isCollection);
    }
}
