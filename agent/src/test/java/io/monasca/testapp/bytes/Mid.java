package io.monasca.testapp.bytes;

/** Declares no method a target names, so the agent's early "no" skips it. */
public class Mid extends Base {
    public String name() {
        return "mid";
    }
}
