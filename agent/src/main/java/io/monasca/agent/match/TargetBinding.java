package io.monasca.agent.match;

import io.monasca.agent.config.Operation;
import io.monasca.agent.config.OperationTarget;

/** One configured target of one operation, with the operation's index. */
final class TargetBinding {
    final int operationIndex;
    final Operation operation;
    final OperationTarget target;

    TargetBinding(int operationIndex, Operation operation, OperationTarget target) {
        this.operationIndex = operationIndex;
        this.operation = operation;
        this.target = target;
    }

    /** The type's name as class files write it: {@code a/b/C}. */
    String internalTypeName() {
        return target.typeName.replace('.', '/');
    }

    /** Whether this target times methods of this name (all of them with {@code [*]}). */
    boolean names(String method) {
        return target.allMethods() || target.methods.contains(method);
    }

    String describe() {
        return "op." + operation.name + " target " + target + " (from " + operation.origin + ")";
    }
}
