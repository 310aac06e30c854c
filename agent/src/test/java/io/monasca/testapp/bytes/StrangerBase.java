package io.monasca.testapp.bytes;

/** Not a target's subtype: neither is {@link Stranger}, although it has a method named like a target's. */
public class StrangerBase {
    public String name() {
        return "stranger";
    }
}
