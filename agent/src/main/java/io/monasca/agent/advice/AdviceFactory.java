package io.monasca.agent.advice;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;

import java.util.Collection;

/** Chooses the advice variant for a method and binds its operation index. */
public final class AdviceFactory {
    /**
     * Where the advice's class files are read from. The agent's classes are defined by the boot loader (the jar is on
     * the boot class path), whose resources an attached agent cannot always see; the jar is also on the system class
     * path, so that loader finds them in every case.
     */
    private static final ClassFileLocator ADVICE_CLASSES = new ClassFileLocator.Compound(
            ClassFileLocator.ForClassLoader.of(AdviceFactory.class.getClassLoader()),
            ClassFileLocator.ForClassLoader.ofSystemLoader());

    private AdviceFactory() {
    }

    /** Whether the method's return value counts items (and so the operation gets an {@code items} series). */
    public static boolean countsItems(MethodDescription method) {
        return variantFor(method) != TimingAdvice.NoItems.class;
    }

    public static Advice adviceFor(MethodDescription method, int operation) {
        return Advice.withCustomMapping()
                .bind(OperationId.class, operation)
                .to(variantFor(method), ADVICE_CLASSES);
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
