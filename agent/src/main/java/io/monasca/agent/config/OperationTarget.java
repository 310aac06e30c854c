package io.monasca.agent.config;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code fully.qualified.Type[method1,method2]} element of an {@code op.<name>} value. {@code [*]} means every
 * concrete method the type declares.
 */
public final class OperationTarget {
    private static final String IDENTIFIER = "[\\p{L}_$][\\p{L}\\p{N}_$]*";
    private static final Pattern TARGET = Pattern.compile(
            "(" + IDENTIFIER + "(?:\\." + IDENTIFIER + ")*)\\s*\\[([^\\]]*)\\]");
    private static final Pattern METHOD = Pattern.compile(IDENTIFIER);

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
        Matcher m = TARGET.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text.trim()
                    + "' is not of the form fully.qualified.Type[method1,method2] or Type[*]");
        }
        Set<String> methods = new LinkedHashSet<String>();
        String list = m.group(2).trim();
        if (!list.equals("*")) {
            if (list.isEmpty()) {
                throw new IllegalArgumentException("'" + text.trim() + "' names no method (use [*] for all)");
            }
            for (String name : list.split(",")) {
                String method = name.trim();
                if (!METHOD.matcher(method).matches()) {
                    throw new IllegalArgumentException("'" + method + "' in '" + text.trim()
                            + "' is not a method name");
                }
                methods.add(method);
            }
        }
        return new OperationTarget(m.group(1), methods);
    }

    @Override
    public String toString() {
        return typeName + "[" + (methods.isEmpty() ? "*" : String.join(",", methods)) + "]";
    }
}
