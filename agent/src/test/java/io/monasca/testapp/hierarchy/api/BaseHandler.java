package io.monasca.testapp.hierarchy.api;

/** Implements the target in the parent's jar; its subclass lives in the child's and loads first. */
public abstract class BaseHandler implements Handler {
}
