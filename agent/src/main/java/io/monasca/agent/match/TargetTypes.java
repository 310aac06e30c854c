package io.monasca.agent.match;

import io.monasca.agent.config.AgentSettings;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configured target types, each with a bit (at most {@link AgentSettings#MAX_TARGET_TYPES}), and the method
 * names the targets select: what the transformer asks of every class before anything costly.
 */
final class TargetTypes {
    /** The configuration's JDK packages as internal names ({@code java/}). */
    private static final String[] JDK_PACKAGES = new String[AgentSettings.JDK_PACKAGES.size()];

    static {
        for (int i = 0; i < JDK_PACKAGES.length; i++) {
            JDK_PACKAGES[i] = AgentSettings.JDK_PACKAGES.get(i).replace('.', '/');
        }
    }

    /** Internal name ({@code a/b/C}) to its bit. */
    private final Map<String, Long> bits = new HashMap<String, Long>();
    /** The named methods of all targets, as they appear in class files. */
    final ClassHeader.Names methodNames;
    /** Some target takes every method ({@code [*]}): then any class may need weaving. */
    final boolean anyAllMethods;
    /** Some target type is a JDK type: then JDK supertypes must be read too. */
    final boolean anyJdkType;

    TargetTypes(List<TargetBinding> bindings) {
        Set<String> names = new LinkedHashSet<String>();
        boolean all = false;
        boolean jdk = false;
        for (TargetBinding b : bindings) {
            String type = b.internalTypeName();
            if (!bits.containsKey(type) && bits.size() < AgentSettings.MAX_TARGET_TYPES) {
                bits.put(type, 1L << bits.size());
                jdk |= isJdk(type);
            }
            all |= b.target.allMethods();
            names.addAll(b.target.methods);
        }
        this.methodNames = new ClassHeader.Names(names);
        this.anyAllMethods = all;
        this.anyJdkType = jdk;
    }

    boolean isEmpty() {
        return bits.isEmpty();
    }

    /** The bit of a target type, 0 for any other name. */
    long bitOf(String internalName) {
        Long bit = bits.get(internalName);
        return bit == null ? 0 : bit;
    }

    static boolean isJdk(String internalName) {
        for (String p : JDK_PACKAGES) {
            if (internalName.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
