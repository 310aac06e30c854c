package io.monasca.testapp.bytes;

/** The target type of the bytes scenario: its subclasses reach it only through {@link Mid}. */
public class Base {
    public int work(int n) {
        return n + 1;
    }
}
