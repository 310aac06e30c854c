package io.monasca.testapp.hierarchy.impl;

import io.monasca.testapp.hierarchy.api.BaseHandler;

/** A subtype of the target whose supertypes are in another jar, seen through the parent loader, loaded after it. */
public class ChildHandler extends BaseHandler {
    @Override
    public int handle(int n) {
        return n + 1;
    }
}
