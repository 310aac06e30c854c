package io.monasca.testapp.hierarchy.api;

/** The target type of the hierarchy scenario: an interface in the parent loader's jar. */
public interface Handler {
    int handle(int n);
}
