package io.monasca.testapp.bytes;

/** A target interface its implementation reaches only through {@link MidTask}. */
public interface Task {
    int work(int n);
}
