package io.monasca.agent.advice;

import io.monasca.agent.recording.CellReading;
import io.monasca.agent.recording.Recorder;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The advice woven into a sample class in-process, loaded in a throwaway class loader. */
class TimingAdviceTest {
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
    }

    @BeforeAll
    static void weave() {
        Recorder.configure(OP + 1);
        var builder = new ByteBuddy().redefine(Sample.class);
        for (MethodDescription m : TypeDescription.ForLoadedType.of(Sample.class).getDeclaredMethods()) {
            if (m.isMethod()) {
                builder = builder.visit(AdviceFactory.adviceFor(m, OP).on(is(m)));
            }
        }
        // A throwaway child loader: the original Sample stays untouched in the test's own loader.
        woven = builder.make().load(TimingAdviceTest.class.getClassLoader(), ClassLoadingStrategy.Default.CHILD_FIRST)
                .getLoaded();
    }

    private static CellReading call(String name) throws Exception {
        Recorder.closeInterval();
        Method m = woven.getMethod(name);
        try {
            m.invoke(woven.getConstructor().newInstance());
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
        Object original = woven.getField("FAILURE").get(null);
        assertSame(original, e.getCause());
    }

    @Test
    void itemsComeFromTheResult() throws Exception {
        assertEquals(1L << 40, call("big").items);
        assertEquals(3, call("names").items);
        assertEquals(7, call("bytes").items);
        assertEquals(0, call("text").items);
    }

    @Test
    void failuresAreCountedNotCompleted() throws Exception {
        CellReading r = call("fail");
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
}
