package io.monasca.agent.recording;

/**
 * Woven methods whose operation could not be decided when their class loaded (a supertype the loader could not show
 * the agent: classes defined from bytes), each a numbered <em>site</em>. The woven entry passes its site and its own
 * class to {@link Recorder#enterDeferred}; at the site's first call the class and all its supertypes are loaded, so
 * the registered {@link Resolver} decides exactly, once, from the class objects. Read without a lock: one volatile
 * read of the table and one array read per call. Resolutions and growth are rare and serialised.
 */
public final class DeferredSites {
    /** Not decided yet (a site's initial state). */
    public static final int UNRESOLVED = -2;
    /** Decided: the method is not a target's, never timed. */
    public static final int NOT_TIMED = -1;

    /** Decides a site from its class; implemented by the agent's matching, which this package must not depend on. */
    public interface Resolver {
        /**
         * The operation the method of {@code site} in class {@code owner} is timed as, or {@link #NOT_TIMED}. Must not
         * load classes or run application code.
         */
        int operationFor(int site, Class<?> owner);

        /**
         * Told after the answer for {@code site} is recorded (so that a call it makes, a log line, meets the decided
         * site rather than deciding again); possibly more than once, when threads race on the first call.
         */
        void decided(int site, Class<?> owner, int operation);
    }

    /** Operation per site, {@link #UNRESOLVED} until decided. Replaced by a grown copy under the lock. */
    private static volatile int[] operations = new int[0];
    private static int count;
    private static volatile Resolver resolver;

    private DeferredSites() {
    }

    /** For a new agent: forgets the sites of an earlier one (their classes were restored) and resolves with this. */
    public static synchronized void start(Resolver newResolver) {
        operations = new int[0];
        count = 0;
        resolver = newResolver;
    }

    /** At detach: sites not decided yet stay untimed. */
    public static synchronized void stop() {
        resolver = null;
    }

    /** A new site, undecided; returns its number. */
    public static synchronized int add() {
        int[] table = operations;
        if (count == table.length) {
            int[] grown = new int[Math.max(16, table.length * 2)];
            java.util.Arrays.fill(grown, UNRESOLVED);
            System.arraycopy(table, 0, grown, 0, count);
            operations = grown;
        }
        return count++;
    }

    public static synchronized int size() {
        return count;
    }

    /** The operation of {@code site}: a negative one is not timed. */
    static int operation(int site, Class<?> owner) {
        int[] table = operations;
        int operation = site >= 0 && site < table.length ? table[site] : NOT_TIMED;
        return operation != UNRESOLVED ? operation : resolve(site, owner);
    }

    /**
     * Decided outside the lock (walking class objects needs none) and recorded under it, so a site registered
     * meanwhile is not lost. Two threads may both decide a site: they reach the same answer.
     */
    private static int resolve(int site, Class<?> owner) {
        Resolver r;
        synchronized (DeferredSites.class) {
            r = site < count ? resolver : null; // the table's free end is undecided too, but no site
        }
        if (r == null) {
            return NOT_TIMED;
        }
        int operation = r.operationFor(site, owner);
        synchronized (DeferredSites.class) {
            if (resolver == r && site < count) {
                operations[site] = operation;
            }
        }
        r.decided(site, owner, operation);
        return operation;
    }
}
