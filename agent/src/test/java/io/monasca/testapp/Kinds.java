package io.monasca.testapp;

/** Methods of every kind, for {@code Kinds[*]}: the timeable ones are timed, the rest left alone, results unchanged. */
public class Kinds extends AbstractKinds implements Comparable<Kinds>, WithDefault {
    public static int staticCount(int n) {
        return n;
    }

    public synchronized int synchronizedCount(int n) {
        return n;
    }

    /** The compiler adds a bridge compareTo(Object): not timed itself; it calls this one, which is. */
    @Override
    public int compareTo(Kinds other) {
        return 0;
    }

    @Override
    public int abstractCount(int n) {
        return n;
    }

    /** Never called: native methods have no code to time. */
    public native int nativeCount(int n);

    public void throwsChecked() throws Exception {
        throw new Exception("checked");
    }

    public void throwsError() {
        throw new AssertionError("an Error");
    }

    /** Runs across several agent intervals. */
    public int longCall(int millis) throws InterruptedException {
        Thread.sleep(millis);
        return 1;
    }

    /** The lambda's body is a synthetic method: not timed itself; the staticCount it calls is. */
    public Runnable lambda() {
        return () -> staticCount(1);
    }
}

abstract class AbstractKinds {
    public abstract int abstractCount(int n);
}

interface WithDefault {
    default int defaultCount(int n) {
        return n;
    }
}
