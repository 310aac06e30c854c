package io.monasca.agent.match;

import io.monasca.agent.AgentLog;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What was instrumented: logs each instrumented method once, remembers which targets matched, which operations count
 * items, and why a target matched nothing when a hint is known.
 */
public final class MatchReport {
    private final List<TargetBinding> bindings;
    private final Set<String> instrumented = ConcurrentHashMap.newKeySet();
    /** Per binding, the method names (or "*") that matched at least once. */
    private final Map<TargetBinding, Set<String>> matched = new ConcurrentHashMap<TargetBinding, Set<String>>();
    /** Per binding and method name, a supertype outside the target's hierarchy that declares it. */
    private final Map<String, String> inheritedFrom = new ConcurrentHashMap<String, String>();
    private final AtomicLongArray countsItems;
    private final AtomicLong errors = new AtomicLong();

    MatchReport(List<TargetBinding> bindings, int operations) {
        this.bindings = bindings;
        this.countsItems = new AtomicLongArray(operations);
        for (TargetBinding b : bindings) {
            matched.put(b, ConcurrentHashMap.<String>newKeySet());
        }
    }

    void instrumented(TargetBinding binding, TypeDescription type, MethodDescription method, boolean items) {
        matched.get(binding).add(binding.target.allMethods() ? "*" : method.getName());
        if (items) {
            countsItems.set(binding.operationIndex, 1);
        }
        StringBuilder parameters = new StringBuilder();
        for (TypeDescription p : method.getParameters().asTypeList().asErasures()) {
            parameters.append(parameters.length() == 0 ? "" : ", ").append(p.getActualName());
        }
        String line = binding.operation.name + ": " + type.getName() + "." + method.getName() + "(" + parameters
                + ") returns " + method.getReturnType().asErasure().getActualName() + (items ? " (items = result)" : "");
        if (instrumented.add(line)) {
            AgentLog.info("instrumented " + line);
        }
    }

    /** Records where a named method comes from when a matching type only inherits it from outside the hierarchy. */
    void checkInherited(TargetBinding binding, TypeDescription type) {
        for (String name : binding.target.methods) {
            if (!type.getDeclaredMethods().filter(m -> m.getName().equals(name) && binding.selects(m)).isEmpty()) {
                continue;
            }
            for (TypeDefinition s = type.getSuperClass(); s != null; s = s.getSuperClass()) {
                TypeDescription superType = s.asErasure();
                if (binding.types.matches(superType)) {
                    continue; // a subtype of the named type: it is instrumented itself
                }
                if (!superType.getDeclaredMethods().filter(m -> m.getName().equals(name) && binding.selects(m)).isEmpty()) {
                    inheritedFrom.put(key(binding, name), superType.getName());
                    break;
                }
            }
        }
    }

    void instrumentationFailed(String typeName, Throwable cause) {
        errors.incrementAndGet();
        AgentLog.warnOnce("failed:" + typeName, "could not instrument " + typeName + " (left unchanged): " + cause);
    }

    public boolean countsItems(int operation) {
        return countsItems.get(operation) != 0;
    }

    public long errors() {
        return errors.get();
    }

    public int instrumentedMethods() {
        return instrumented.size();
    }

    /** One message per configured target (method) that has matched nothing so far. */
    public List<String> unmatched() {
        List<String> messages = new ArrayList<String>();
        for (TargetBinding b : bindings) {
            Set<String> hits = matched.get(b);
            if (b.target.allMethods()) {
                if (hits.isEmpty()) {
                    messages.add(b.describe() + " matched nothing: no loaded type " + b.target.typeName
                            + " or subtype of it declares a concrete method");
                }
                continue;
            }
            for (String name : b.target.methods) {
                if (hits.contains(name)) {
                    continue;
                }
                String declaring = inheritedFrom.get(key(b, name));
                messages.add(b.describe() + ": method " + name + " matched nothing: " + (declaring == null
                        ? "no loaded type " + b.target.typeName + " or subtype of it declares it (not loaded yet, "
                        + "or misspelt?)"
                        : "it is inherited from " + declaring + ", which is not a subtype of " + b.target.typeName
                        + "; target " + declaring + "[" + name + "] instead (that also times its other subclasses)"));
            }
        }
        return messages;
    }

    private static String key(TargetBinding binding, String method) {
        return System.identityHashCode(binding) + "#" + method;
    }
}
