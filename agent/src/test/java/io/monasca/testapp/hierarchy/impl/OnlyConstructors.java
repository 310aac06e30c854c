package io.monasca.testapp.hierarchy.impl;

/** A type with constructors and no method: {@code OnlyConstructors[*]} has nothing to time. */
public class OnlyConstructors {
    private final int value;

    public OnlyConstructors() {
        this(1);
    }

    public OnlyConstructors(int value) {
        this.value = value;
    }
}
