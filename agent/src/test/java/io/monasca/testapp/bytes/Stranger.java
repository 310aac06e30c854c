package io.monasca.testapp.bytes;

public class Stranger extends StrangerBase {
    public int work(int n) {
        return 5 * n;
    }
}
