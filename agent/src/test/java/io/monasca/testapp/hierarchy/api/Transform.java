package io.monasca.testapp.hierarchy.api;

/** Implemented only by a lambda: a target the JVM does not let an agent time. */
public interface Transform {
    String apply(String s);
}
