package io.monasca.testapp.hierarchy.api;

/** Reaches {@link Handler} for its implementations: they name only this interface. */
public interface SubHandler extends Handler {
}
