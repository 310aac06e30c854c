package io.monasca.testapp.hierarchy.impl;

/** Declares the default method its implementations inherit. */
public interface Greeting {
    default String greet() {
        return "hello";
    }
}
