package io.monasca.agent.advice;

import io.monasca.agent.recording.Recorder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;

import java.util.Collection;

/** Chooses the advice variant for a method and binds its operation index. */
public final class AdviceFactory {
    private static final StackManipulation REPORT_SUPPRESSED = reportSuppressed();

    private AdviceFactory() {
    }

    /** Whether the method's return value counts items (and so the operation gets an {@code items} series). */
    public static boolean countsItems(MethodDescription method) {
        return variantFor(method) != TimingAdvice.NoItems.class;
    }

    public static Advice adviceFor(MethodDescription method, int operation) {
        return Advice.withCustomMapping()
                .bind(OperationId.class, operation)
                .to(variantFor(method))
                .withExceptionHandler(REPORT_SUPPRESSED);
    }

    private static Class<?> variantFor(MethodDescription method) {
        TypeDescription type = method.getReturnType().asErasure();
        if (type.represents(int.class)) {
            return TimingAdvice.IntItems.class;
        }
        if (type.represents(long.class)) {
            return TimingAdvice.LongItems.class;
        }
        if (type.isArray()) {
            return TimingAdvice.ArrayItems.class;
        }
        if (type.isAssignableTo(Collection.class)) {
            return TimingAdvice.CollectionItems.class;
        }
        return TimingAdvice.NoItems.class;
    }

    /** Hands an exception thrown by the advice itself to {@link Recorder#internalError(Throwable)}. */
    private static StackManipulation reportSuppressed() {
        try {
            return MethodInvocation.invoke(new MethodDescription.ForLoadedMethod(
                    Recorder.class.getMethod("internalError", Throwable.class)));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}
