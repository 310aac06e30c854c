package io.monasca.agent.config;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One {@code fully.qualified.Type[method1,method2]} element of an {@code op.<name>} value. {@code [*]} means every
 * concrete method the type declares.
 */
public final class OperationTarget {
    public final String typeName;
    /** Empty means all declared methods. */
    public final Set<String> methods;

    OperationTarget(String typeName, Set<String> methods) {
        this.typeName = typeName;
        this.methods = Collections.unmodifiableSet(methods);
    }

    public boolean allMethods() {
        return methods.isEmpty();
    }

    /** Parses one target; throws {@link IllegalArgumentException} saying what is wrong. */
    static OperationTarget parse(String text) {
        String target = text.trim();
        int open = target.indexOf('[');
        String type = open < 0 ? "" : target.substring(0, open).trim();
        if (open < 0 || !target.endsWith("]") || target.indexOf(']') != target.length() - 1
                || !Syntax.isQualifiedName(type)) {
            throw new IllegalArgumentException("'" + target
                    + "' is not of the form fully.qualified.Type[method1,method2] or Type[*]");
        }
        Set<String> methods = new LinkedHashSet<String>();
        String list = target.substring(open + 1, target.length() - 1).trim();
        if (!list.equals("*")) {
            if (list.isEmpty()) {
                throw new IllegalArgumentException("'" + text.trim() + "' names no method (use [*] for all)");
            }
            for (String name : list.split(",")) {
                String method = name.trim();
                if (!Syntax.isIdentifier(method)) {
                    throw new IllegalArgumentException("'" + method + "' in '" + text.trim()
                            + "' is not a method name");
                }
                methods.add(method);
            }
        }
        return new OperationTarget(type, methods);
    }

    @Override
    public String toString() {
        return typeName + "[" + (methods.isEmpty() ? "*" : String.join(",", methods)) + "]";
    }
}
