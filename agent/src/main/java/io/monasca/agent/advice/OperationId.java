package io.monasca.agent.advice;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds the operation's index as a constant in the woven code
 * ({@code Advice.withCustomMapping().bind(OperationId.class, index)}), so the advice needs no lookup.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface OperationId {
}
