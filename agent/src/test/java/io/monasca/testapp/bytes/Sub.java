package io.monasca.testapp.bytes;

public class Sub extends Mid {
    @Override
    public int work(int n) {
        return 2 * n;
    }
}
