package io.monasca.agent.match;

import io.monasca.agent.AgentLog;
import io.monasca.agent.recording.DeferredSites;

import java.util.ArrayList;
import java.util.List;

/**
 * Matching finished at run time, for methods woven as {@linkplain DeferredSites deferred sites}: when a class loads,
 * a supertype its loader neither showed the agent before nor serves as a class file (classes defined from bytes)
 * leaves open whether the class is a target's subtype. At the method's first call the class and its supertypes are
 * loaded, so the answer comes exactly from the class objects: the operation of the first target that names the method
 * and whose type the class reaches, as for any other class; a method that turns out to be no target's is never timed
 * and never reported as instrumented.
 */
final class DeferredMatching implements DeferredSites.Resolver {
    /** Far more than any application's deferred methods; bounds the agent's memory if loaders come and go forever. */
    static final int MAX_SITES = 1 << 16;

    /** One deferred method: where it is, and the targets that name it, in configuration order. */
    private static final class Site {
        final String type;
        final String method;
        final String signature;
        final boolean items;
        final List<TargetBinding> naming;

        Site(String type, String method, String signature, boolean items, List<TargetBinding> naming) {
            this.type = type;
            this.method = method;
            this.signature = signature;
            this.items = items;
            this.naming = naming;
        }
    }

    private final List<TargetBinding> bindings;
    private final TargetTypes targets;
    private final HierarchyIndex index;
    private final MatchReport report;
    /** By site number (sites are numbered by {@link DeferredSites#add}, only through {@link #add}). */
    private final List<Site> sites = new ArrayList<Site>();

    DeferredMatching(List<TargetBinding> bindings, TargetTypes targets, HierarchyIndex index, MatchReport report) {
        this.bindings = bindings;
        this.targets = targets;
        this.index = index;
        this.report = report;
    }

    /** A new site for {@code method} of {@code type} (dotted), or -1 when there are too many already (said once). */
    synchronized int add(String type, String method, String signature, boolean items) {
        if (sites.size() >= MAX_SITES) {
            AgentLog.warnOnce("deferred-sites", "over " + MAX_SITES + " methods whose class's supertypes were unknown"
                    + " when it loaded: further ones (first: " + signature + ") are not timed");
            return -1;
        }
        List<TargetBinding> naming = new ArrayList<TargetBinding>();
        for (TargetBinding b : bindings) {
            if (b.names(method)) {
                naming.add(b);
            }
        }
        int site = DeferredSites.add();
        while (sites.size() < site) {
            sites.add(null); // not expected: only this class adds sites
        }
        sites.add(new Site(type, method, signature, items, naming));
        return site;
    }

    private synchronized Site site(int number) {
        return number >= 0 && number < sites.size() ? sites.get(number) : null;
    }

    @Override
    public int operationFor(int number, Class<?> owner) {
        TargetBinding first = firstReached(site(number), owner);
        return first == null ? DeferredSites.NOT_TIMED : first.operationIndex;
    }

    @Override
    public void decided(int number, Class<?> owner, int operation) {
        Site site = site(number);
        if (site == null || operation < 0) {
            return;
        }
        long bits = index.bitsOf(owner);
        for (TargetBinding b : site.naming) {
            if (b.operationIndex == operation && (bits & targets.bitOf(b.internalTypeName())) != 0) {
                report.instrumented(b, site.method, site.signature, site.items);
            }
        }
    }

    private TargetBinding firstReached(Site site, Class<?> owner) {
        if (site == null || owner == null || !owner.getName().equals(site.type)) {
            return null; // not this agent's site (code woven by an earlier agent that could not be restored)
        }
        long bits = index.bitsOf(owner);
        for (TargetBinding b : site.naming) {
            if ((bits & targets.bitOf(b.internalTypeName())) != 0) {
                return b;
            }
        }
        return null;
    }
}
