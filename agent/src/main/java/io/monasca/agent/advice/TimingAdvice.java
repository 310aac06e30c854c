package io.monasca.agent.advice;

import io.monasca.agent.recording.Cell;
import io.monasca.agent.recording.Recorder;
import net.bytebuddy.asm.Advice;

import java.util.Collection;

/**
 * The code woven into each timed method, one variant per kind of return value so that counting items never boxes.
 * Each advice only hands over to {@link Recorder}, which counts and reports its own errors. The advice is inlined, so it
 * stays tiny; {@code suppress} is the last guard (e.g. the recorder not being reachable at all): whatever the advice
 * throws is dropped and the method runs on untouched. The handler deliberately calls nothing of ours. Each exit
 * clears the cell's {@code active} flag before calling anything, so that even a StackOverflowError thrown by that
 * call cannot leave the thread's timing switched off.
 */
public final class TimingAdvice {
    private TimingAdvice() {
    }

    /** Methods whose result is not a count: void, or any other type. */
    public static final class NoItems {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Cell enter(@OperationId int operation) {
            return Recorder.enter(operation);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Cell cell, @Advice.Thrown Throwable thrown) {
            if (cell != null) {
                cell.active = false;
                Recorder.exit(cell, thrown, 0);
            }
        }
    }

    /** Methods returning {@code int}: the value is the number of items (messages, points written...). */
    public static final class IntItems {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Cell enter(@OperationId int operation) {
            return Recorder.enter(operation);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Cell cell, @Advice.Return int result, @Advice.Thrown Throwable thrown) {
            if (cell != null) {
                cell.active = false;
                Recorder.exit(cell, thrown, result);
            }
        }
    }

    /** Methods returning {@code long}. */
    public static final class LongItems {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Cell enter(@OperationId int operation) {
            return Recorder.enter(operation);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Cell cell, @Advice.Return long result, @Advice.Thrown Throwable thrown) {
            if (cell != null) {
                cell.active = false;
                Recorder.exit(cell, thrown, result);
            }
        }
    }

    /** Methods returning a {@link Collection}: items are its size. */
    public static final class CollectionItems {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Cell enter(@OperationId int operation) {
            return Recorder.enter(operation);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Cell cell, @Advice.Return Collection<?> result,
                         @Advice.Thrown Throwable thrown) {
            if (cell != null) {
                cell.active = false;
                Recorder.exitWithCollection(cell, thrown, result);
            }
        }
    }

    /** Methods returning an array: items are its length. */
    public static final class ArrayItems {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Cell enter(@OperationId int operation) {
            return Recorder.enter(operation);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Cell cell, @Advice.Return Object result, @Advice.Thrown Throwable thrown) {
            if (cell != null) {
                cell.active = false;
                Recorder.exitWithArray(cell, thrown, result);
            }
        }
    }
}
