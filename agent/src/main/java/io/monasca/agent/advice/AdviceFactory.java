package io.monasca.agent.advice;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;

import java.util.Collection;

/** Chooses the advice variant for a method and binds its operation index. */
public final class AdviceFactory {
    private AdviceFactory() {
    }

    /** Whether the method's return value counts items (and so the operation gets an {@code items} series). */
    public static boolean countsItems(MethodDescription method) {
        return variantFor(method) != TimingAdvice.NoItems.class;
    }

    public static Advice adviceFor(MethodDescription method, int operation) {
        return Advice.withCustomMapping()
                .bind(OperationId.class, operation)
                .to(variantFor(method));
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
}
