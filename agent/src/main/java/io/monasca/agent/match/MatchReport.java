package io.monasca.agent.match;

import io.monasca.agent.AgentLog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What was instrumented: logs each instrumented method once (the first {@value #LOGGED_METHODS}; the rest are
 * counted), remembers which targets matched, which operations count items, and why a target matched nothing when a
 * hint is known.
 */
public final class MatchReport {
    static final int LOGGED_METHODS = 100;

    /**
     * Told, on the thread that wove it, each time a method is newly counted in {@link #instrumentedMethods}: must
     * return at once.
     */
    public interface MethodInstrumented {
        void run();
    }

    /** What the report needs to know about loaded classes, for hints about hidden classes. */
    public interface LoadedClasses {
        /** A loaded hidden class (a lambda, a method reference, ...) that implements or extends {@code type}, or null. */
        String hiddenSubtype(String type);
    }

    private final List<TargetBinding> bindings;
    private final Set<String> instrumented = ConcurrentHashMap.newKeySet();
    /** Methods a target names, in loaded classes, left as they were: {@code op: signature: reason}. */
    private final Set<String> notWoven = ConcurrentHashMap.newKeySet();
    /** Per binding, the method names (or "*") that matched at least once. */
    private final Map<TargetBinding, Set<String>> matched = new ConcurrentHashMap<TargetBinding, Set<String>>();
    /** Per binding and method name: why it matched nothing, when known. */
    private final Map<String, String> hints = new ConcurrentHashMap<String, String>();
    /** Operations whose methods return a count of items (a concurrent set: AtomicLongArray links method handles). */
    private final Set<Integer> countsItems = ConcurrentHashMap.newKeySet();
    private final AtomicLong errors = new AtomicLong();
    private volatile MethodInstrumented methodInstrumented;

    MatchReport(List<TargetBinding> bindings) {
        this.bindings = bindings;
        for (TargetBinding b : bindings) {
            matched.put(b, ConcurrentHashMap.<String>newKeySet());
        }
    }

    /** {@code signature}: {@code type.method(parameters) returns type}. */
    void instrumented(TargetBinding binding, String method, String signature, boolean items) {
        matched.get(binding).add(binding.target.allMethods() ? "*" : method);
        if (items) {
            countsItems.add(binding.operationIndex);
        }
        String line = binding.operation.name + ": " + signature + (items ? " (items = result)" : "");
        if (!instrumented.add(line)) {
            return;
        }
        MethodInstrumented listener = methodInstrumented;
        if (listener != null) {
            listener.run();
        }
        if (instrumented.size() <= LOGGED_METHODS) {
            AgentLog.info("instrumented " + line + (instrumented.size() == LOGGED_METHODS
                    ? " (further instrumented methods are not logged; the status command lists them all)" : ""));
        }
    }

    public void onMethodInstrumented(MethodInstrumented listener) {
        this.methodInstrumented = listener;
    }

    /** A matching type does not declare {@code method} itself but inherits it from outside the target's hierarchy. */
    void inherited(TargetBinding binding, String method, String declaringType, boolean defaultMethod) {
        hints.put(key(binding, method), "it is " + (defaultMethod ? "a default method of " : "inherited from ")
                + declaringType + ", which is not a subtype of " + binding.target.typeName + "; target "
                + declaringType + "[" + method + "] instead (that also times its other "
                + (defaultMethod ? "implementations)" : "subclasses)"));
    }

    /** A matching type of a {@code [*]} target declares no method, only constructors (which are never timed). */
    void onlyConstructors(TargetBinding binding, String type) {
        hints.put(key(binding, "*"), type + " declares only constructors, which are not timed; target the methods"
                + " they call instead");
    }

    /**
     * A method a target names, in a loaded class of the target's hierarchy, that was left as it was: a native one,
     * one beyond the class-file limits, one the JVM refused ({@code agentFault}: counted in the agent's errors). Said
     * once per method, and kept as the target's hint.
     */
    void notWoven(TargetBinding binding, String method, String signature, String reason, boolean agentFault) {
        hints.put(key(binding, binding.target.allMethods() ? "*" : method), "loaded, but " + signature
                + " was not woven: " + reason);
        if (agentFault) {
            errors.incrementAndGet();
        }
        notWoven.add(binding.operation.name + ": " + signature + ": " + reason);
        AgentLog.warnOnce("not-woven:" + binding.operation.name + ":" + signature, "not instrumented "
                + binding.operation.name + ": " + signature + " (left unchanged): " + reason);
    }

    void instrumentationFailed(String typeName, Throwable cause) {
        errors.incrementAndGet();
        AgentLog.warnOnce("failed:" + typeName, "could not instrument " + typeName + " (left unchanged): " + cause);
    }

    public boolean countsItems(int operation) {
        return countsItems.contains(operation);
    }

    public long errors() {
        return errors.get();
    }

    public int instrumentedMethods() {
        return instrumented.size();
    }

    /** Every instrumented method, as {@code op: type.method(parameters) returns type}, sorted. */
    public List<String> instrumentedMethodNames() {
        return Collections.unmodifiableList(new ArrayList<String>(new TreeSet<String>(instrumented)));
    }

    /** Every method a target names that was seen but left as it was, as {@code op: signature: reason}, sorted. */
    public List<String> notWovenMethods() {
        return Collections.unmodifiableList(new ArrayList<String>(new TreeSet<String>(notWoven)));
    }

    /** One message per configured target (method) that has matched nothing so far. */
    public List<String> unmatched(LoadedClasses loaded) {
        List<String> messages = new ArrayList<String>();
        for (TargetBinding b : bindings) {
            Set<String> hits = matched.get(b);
            if (b.target.allMethods()) {
                if (hits.isEmpty()) {
                    String hint = hints.get(key(b, "*"));
                    messages.add(b.describe() + " matched nothing: " + (hint != null ? hint
                            : nothingLoaded(b, "declares a concrete method", loaded)));
                }
                continue;
            }
            for (String name : b.target.methods) {
                if (!hits.contains(name)) {
                    String hint = hints.get(key(b, name));
                    messages.add(b.describe() + ": method " + name + " matched nothing: "
                            + (hint != null ? hint : nothingLoaded(b, "declares it", loaded)));
                }
            }
        }
        return messages;
    }

    private static String nothingLoaded(TargetBinding b, String what, LoadedClasses loaded) {
        String hidden = loaded == null ? null : loaded.hiddenSubtype(b.target.typeName);
        if (hidden != null) {
            return b.target.typeName + " is implemented or extended by a hidden class (" + hidden + ": a lambda, a"
                    + " method reference or a class defined with Lookup.defineHiddenClass), and the JVM does not show"
                    + " those classes to agents: target the named method it calls, or a class that implements "
                    + b.target.typeName + " itself";
        }
        return "no loaded type " + b.target.typeName + " or subtype of it " + what + " (not loaded yet, or misspelt?)";
    }

    private static String key(TargetBinding binding, String method) {
        return System.identityHashCode(binding) + "#" + method;
    }
}
