package io.monasca.agent.advice;

import io.monasca.agent.recording.CellReading;
import io.monasca.agent.recording.Recorder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Items from a result never make the agent run the application's code unasked: a lazily loaded collection stays
 * unloaded; asked for (items.<op>=size), its size() runs after the call is timed, and a call of the same
 * operation inside it is neither counted nor able to disturb the outer call's time. Counts that cannot be counts
 * (negative, beyond 2^31 - 1) add no items.
 */
class ItemsRunNoApplicationCodeTest {
    private static final int OP = 2;
    private static Class<?> plain;
    private static Class<?> sizing;

    /** A collection that loads itself when asked its size. */
    public static final class LazyList extends AbstractList<String> {
        public boolean loaded;

        @Override
        public String get(int index) {
            return "x";
        }

        @Override
        public int size() {
            loaded = true;
            return 4;
        }
    }

    /** A collection whose size() calls back into timed code. */
    public static final class ReentrantList extends AbstractList<String> {
        private final IntSupplier work;

        public ReentrantList(IntSupplier work) {
            this.work = work;
        }

        @Override
        public String get(int index) {
            return "x";
        }

        @Override
        public int size() {
            return work.getAsInt() + 1;
        }
    }

    public static class Sample {
        public List<String> lazy() {
            return new LazyList();
        }

        public List<String> jdkList() {
            List<String> list = new ArrayList<>();
            list.add("a");
            list.add("b");
            return list;
        }

        public List<String> reentrant() {
            return new ReentrantList(this::slowWork);
        }

        public int slowWork() {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 1;
        }

        public long negative() {
            return -5;
        }

        public long huge() {
            return Long.MAX_VALUE;
        }

        public long largestCount() {
            return Integer.MAX_VALUE;
        }

        public int intCount() {
            return 12;
        }
    }

    @BeforeAll
    static void weave() throws Exception {
        Recorder.start(OP + 1);
        String name = Sample.class.getName();
        byte[] bytes = WovenLoader.classFile(Sample.class);
        plain = new WovenLoader().with(name, WovenLoader.weaveAll(bytes, OP)).loadClass(name);
        sizing = new WovenLoader().with(name, WovenLoader.weaveAll(bytes, OP, true)).loadClass(name);
    }

    private static Object instance(Class<?> type) throws Exception {
        return type.getConstructor().newInstance();
    }

    private static CellReading interval() {
        return Recorder.closeInterval().stream().filter(r -> r.operation == OP).findFirst().orElseThrow();
    }

    @Test
    void aLazyCollectionIsNotLoadedByTheAgent() throws Exception {
        Recorder.closeInterval();
        LazyList result = (LazyList) plain.getMethod("lazy").invoke(instance(plain));
        assertFalse(result.loaded, "the agent called the application's size()");
        CellReading r = interval();
        assertEquals(1, r.completed);
        assertEquals(0, r.items);
    }

    @Test
    void theJdksOwnCollectionsAreCounted() throws Exception {
        Recorder.closeInterval();
        plain.getMethod("jdkList").invoke(instance(plain));
        assertEquals(2, interval().items);
    }

    @Test
    void askedFor_sizeRunsAfterTheCallIsTimed() throws Exception {
        Recorder.closeInterval();
        LazyList result = (LazyList) sizing.getMethod("lazy").invoke(instance(sizing));
        assertTrue(result.loaded);
        assertEquals(4, interval().items);
    }

    /** 5 calls whose result's size() calls a 50 ms method of the same operation: 5 calls, each short. */
    @Test
    void aTimedCallInsideSizeDisturbsNothing() throws Exception {
        Object sample = instance(sizing);
        Method reentrant = sizing.getMethod("reentrant");
        Recorder.closeInterval();
        for (int i = 0; i < 5; i++) {
            reentrant.invoke(sample);
        }
        CellReading r = interval();
        assertEquals(5, r.received);
        assertEquals(5, r.completed);
        assertEquals(10, r.items);
        assertTrue(r.maxNanos < TimeUnit.MILLISECONDS.toNanos(40), "the 50 ms inside size() was timed: " + r.maxNanos);
        assertTrue(r.minNanos >= 0 && r.totalNanos >= r.maxNanos, r::toString);
        sizing.getMethod("slowWork").invoke(sample); // the same method called by the application is timed
        CellReading alone = interval();
        assertEquals(1, alone.completed);
        assertTrue(alone.minNanos >= TimeUnit.MILLISECONDS.toNanos(49), alone::toString);
    }

    @Test
    void resultsThatCannotBeCountsAddNoItems() throws Exception {
        Object sample = instance(plain);
        Recorder.closeInterval();
        plain.getMethod("negative").invoke(sample);
        plain.getMethod("huge").invoke(sample);
        plain.getMethod("largestCount").invoke(sample);
        plain.getMethod("intCount").invoke(sample);
        CellReading r = interval();
        assertEquals(4, r.completed);
        assertEquals(Integer.MAX_VALUE + 12L, r.items);
        long first = Recorder.firstItemsOutOfRange(); // this test's or an earlier one's in this JVM: never a count
        assertTrue(Recorder.firstItemsOutOfRangeOperation() >= 0);
        assertTrue(first < 0 || first > Recorder.MAX_ITEMS_PER_CALL, "kept as out of range: " + first);
    }
}
