package io.monasca.agent.match;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.pool.TypePool;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * Keeps the type descriptions Byte Buddy reads while matching, per class loader, so that the supertypes every class
 * shares ({@code Object}, common interfaces, the application's base classes) are read once rather than for every
 * class loaded: without it, matching {@code hasSuperType} tripled the class-loading time of a Kafka client. Loaders
 * are held weakly, and {@link #clear()} (called once per interval) keeps the memory to what one interval loads.
 */
final class TypePoolCache extends AgentBuilder.PoolStrategy.WithTypePoolCache {
    private static final Object BOOT_LOADER = new Object();

    private final Map<Object, TypePool.CacheProvider> byLoader = new WeakHashMap<Object, TypePool.CacheProvider>();

    TypePoolCache() {
        super(TypePool.Default.ReaderMode.FAST);
    }

    @Override
    protected synchronized TypePool.CacheProvider locate(ClassLoader classLoader) {
        Object key = classLoader == null ? BOOT_LOADER : classLoader;
        TypePool.CacheProvider cache = byLoader.get(key);
        if (cache == null) {
            cache = new TypePool.CacheProvider.Simple();
            byLoader.put(key, cache);
        }
        return cache;
    }

    synchronized void clear() {
        byLoader.clear();
    }
}
