package io.monasca.testapp.bytes;

public class TaskImpl implements MidTask {
    @Override
    public int work(int n) {
        return 3 * n;
    }
}
