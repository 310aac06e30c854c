package io.monasca.testapp;

import java.util.ArrayList;
import java.util.List;

/** Methods of every result kind, timed by the forked-JVM tests through {@code op.*} keys. */
public class Work {
    public void sleepMillis(int millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    public int count(int n) {
        return n;
    }

    public long countLong(long n) {
        return n;
    }

    public List<String> list(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("x" + i);
        }
        return out;
    }

    public String[] array(int n) {
        return new String[n];
    }

    public String text() {
        return "unchanged";
    }

    public int fail(String message) {
        throw new IllegalStateException(message);
    }

    /** Calls itself: only the outer call is timed. */
    public int recurse(int depth) {
        return depth == 0 ? 0 : 1 + recurse(depth - 1);
    }
}
