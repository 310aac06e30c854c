package io.monasca.agent.advice;

import io.monasca.agent.recording.CellReading;
import io.monasca.agent.recording.Recorder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.AbstractList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The weaver on a sample class in-process, loaded (and so verified by the JVM) in a throwaway class loader. */
class TimingWeaverTest {
    private static final int OP = 10;
    private static Class<?> woven;

    public static class Sample {
        public static final RuntimeException FAILURE = new IllegalStateException("boom");

        public int count(int n) {
            return n;
        }

        public long big() {
            return 1L << 40;
        }

        public List<String> names() {
            return List.of("a", "b", "c");
        }

        public byte[] bytes() {
            return new byte[7];
        }

        public String text() {
            return "same";
        }

        public void fail() {
            throw FAILURE;
        }

        public int recurse(int depth) {
            return depth == 0 ? 0 : 1 + recurse(depth - 1);
        }

        /** Its result's size() takes 50 ms: not part of the call. */
        public List<String> slowSize() {
            return new SlowList();
        }
    }

    public static final class SlowList extends AbstractList<String> {
        @Override
        public String get(int index) {
            return "x";
        }

        @Override
        public int size() {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 2;
        }
    }

    @BeforeAll
    static void weave() throws Exception {
        Recorder.start(OP + 1);
        String name = Sample.class.getName();
        woven = new WovenLoader().with(name, WovenLoader.weaveAll(WovenLoader.classFile(Sample.class), OP)).loadClass(name);
    }

    static CellReading call(Class<?> type, String name) throws Exception {
        Recorder.closeInterval();
        Method m = type.getMethod(name);
        try {
            m.invoke(type.getConstructor().newInstance());
        } catch (InvocationTargetException expected) {
            // fail() throws
        }
        return Recorder.closeInterval().stream().filter(r -> r.operation == OP).findFirst().orElseThrow();
    }

    @Test
    void resultsAreUnchanged() throws Exception {
        Object sample = woven.getConstructor().newInstance();
        assertEquals(41, woven.getMethod("count", int.class).invoke(sample, 41));
        assertEquals(1L << 40, woven.getMethod("big").invoke(sample));
        assertEquals(List.of("a", "b", "c"), woven.getMethod("names").invoke(sample));
        assertEquals("same", woven.getMethod("text").invoke(sample));
        assertEquals(3, woven.getMethod("recurse", int.class).invoke(sample, 3));
    }

    @Test
    void exceptionsPassThroughUntouched() throws Exception {
        Object sample = woven.getConstructor().newInstance();
        InvocationTargetException e = assertThrows(InvocationTargetException.class,
                () -> woven.getMethod("fail").invoke(sample));
        assertSame(woven.getField("FAILURE").get(null), e.getCause());
    }

    @Test
    void itemsComeFromTheResult() throws Exception {
        assertEquals(0, call(woven, "big").items, "2^40 is no count of items: none");
        assertEquals(3, call(woven, "names").items);
        assertEquals(7, call(woven, "bytes").items);
        assertEquals(0, call(woven, "text").items);
    }

    @Test
    void failuresAreCountedNotCompleted() throws Exception {
        CellReading r = call(woven, "fail");
        assertEquals(1, r.received);
        assertEquals(0, r.completed);
        assertEquals(1, r.failed);
        assertEquals(1, r.ended());
    }

    @Test
    void recursionIsTimedOnce() throws Exception {
        Recorder.closeInterval();
        woven.getMethod("recurse", int.class).invoke(woven.getConstructor().newInstance(), 5);
        CellReading r = Recorder.closeInterval().stream().filter(x -> x.operation == OP).findFirst().orElseThrow();
        assertEquals(1, r.received);
        assertEquals(5, r.items);
    }

    /**
     * The agent calls no size() of the application's unless an operation asks for it (items.<op>=size); then the
     * clock stops before the call.
     */
    @Test
    void theResultsSizeIsNotTimed() throws Exception {
        String name = Sample.class.getName();
        Class<?> sizing = new WovenLoader().with(name, WovenLoader.weaveAll(WovenLoader.classFile(Sample.class), OP, true))
                .loadClass(name);
        CellReading r = call(sizing, "slowSize");
        assertEquals(2, r.items);
        assertTrue(r.maxNanos < TimeUnit.MILLISECONDS.toNanos(40), "size() was timed: " + r.maxNanos + " ns");
        assertEquals(0, call(woven, "slowSize").items, "not asked for: no size() of the application's");
    }

    @Test
    void aClassWithNothingChosenIsLeftAlone() throws Exception {
        assertNull(TimingWeaver.weave(WovenLoader.classFile(Sample.class), new TimingWeaver.Selector() {
            @Override
            public int operationFor(String name, String descriptor, int access) {
                return -1;
            }

            @Override
            public boolean isCollection(String internalName) {
                return false;
            }
        }));
    }
}
