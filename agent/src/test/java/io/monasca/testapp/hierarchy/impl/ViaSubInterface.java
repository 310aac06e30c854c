package io.monasca.testapp.hierarchy.impl;

import io.monasca.testapp.hierarchy.api.SubHandler;

/** Implements the target only through a superinterface. */
public class ViaSubInterface implements SubHandler {
    @Override
    public int handle(int n) {
        return n * 2;
    }
}
