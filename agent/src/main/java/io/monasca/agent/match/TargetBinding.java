package io.monasca.agent.match;

import io.monasca.agent.config.Operation;
import io.monasca.agent.config.OperationTarget;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.named;

/** One configured target of one operation, with the operation's index and the types it applies to. */
final class TargetBinding {
    final int operationIndex;
    final Operation operation;
    final OperationTarget target;
    /** The named type and all its subtypes: their own implementations of the methods are timed. */
    final ElementMatcher.Junction<TypeDescription> types;

    TargetBinding(int operationIndex, Operation operation, OperationTarget target) {
        this.operationIndex = operationIndex;
        this.operation = operation;
        this.target = target;
        this.types = hasSuperType(named(target.typeName));
    }

    /** A concrete method, declared by a matching type, that this target names. */
    boolean selects(MethodDescription method) {
        return method.isMethod() && !method.isAbstract() && !method.isNative() && !method.isBridge()
                && !method.isSynthetic() && (target.allMethods() || target.methods.contains(method.getName()));
    }

    String describe() {
        return "op." + operation.name + " target " + target + " (from " + operation.origin + ")";
    }
}
