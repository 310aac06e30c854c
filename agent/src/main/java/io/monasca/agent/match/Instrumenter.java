package io.monasca.agent.match;

import io.monasca.agent.advice.AdviceFactory;
import io.monasca.agent.config.Operation;
import io.monasca.agent.config.OperationTarget;
import io.monasca.agent.recording.Recorder;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.is;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isExtensionClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.none;

/**
 * Turns the configured operations into a Byte Buddy transformer that weaves {@code TimingAdvice} into the matching
 * methods, at class load and, for classes already loaded (attach), by retransformation. Class shapes never change
 * ({@code disableClassFormatChanges}), so the agent can attach to, and detach from, a running JVM.
 */
public final class Instrumenter {
    private final List<TargetBinding> bindings;
    private final MatchReport report;
    private final TypePoolCache typePoolCache = new TypePoolCache();

    public Instrumenter(List<Operation> operations) {
        List<TargetBinding> list = new ArrayList<TargetBinding>();
        for (int i = 0; i < operations.size(); i++) {
            for (OperationTarget target : operations.get(i).targets) {
                list.add(new TargetBinding(i, operations.get(i), target));
            }
        }
        this.bindings = Collections.unmodifiableList(list);
        this.report = new MatchReport(bindings, operations.size());
    }

    public MatchReport report() {
        return report;
    }

    /**
     * Byte Buddy's Nexus (for initializers of generated types, which advice inlining never needs) would otherwise be
     * injected into the system class loader through {@code sun.misc.Unsafe}, which newer JDKs warn about. The key is
     * relocated with Byte Buddy in the shipped jar, so it only concerns the agent's private copy.
     */
    private static final String NEXUS_DISABLED = "net.bytebuddy.nexus.disabled";

    public ResettableClassFileTransformer install(Instrumentation instrumentation) {
        if (System.getProperty(NEXUS_DISABLED) == null) {
            System.setProperty(NEXUS_DISABLED, "true");
        }
        // One walk up each loaded class's hierarchy for all targets; the per-binding check runs only on matches.
        Set<String> targetTypes = new LinkedHashSet<String>();
        for (TargetBinding b : bindings) {
            targetTypes.add(b.target.typeName);
        }
        ElementMatcher.Junction<TypeDescription> anyTarget = targetTypes.isEmpty() ? none()
                : hasSuperType(namedOneOf(targetTypes.toArray(new String[0])));
        return new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(new FailureListener(report))
                .with(typePoolCache)
                .assureReadEdgeTo(instrumentation, Recorder.class)
                .ignore(nameStartsWith("io.monasca.agent.")
                        .or(nameStartsWith("net.bytebuddy."))
                        .or(nameStartsWith("java."))
                        .or(nameStartsWith("jdk."))
                        .or(nameStartsWith("sun."))
                        .or(nameStartsWith("com.sun.")))
                .or(any(), isBootstrapClassLoader().or(isExtensionClassLoader()))
                .type(anyTarget)
                .transform(this::transform)
                .installOn(instrumentation);
    }

    /** Drops the type descriptions read so far (the next classes' supertypes are read again once). */
    public void clearTypeCache() {
        typePoolCache.clear();
    }

    /** Weaves the advice of every binding whose types include {@code type} into the methods it selects. */
    DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader,
                                     JavaModule module, ProtectionDomain domain) {
        for (TargetBinding binding : bindings) {
            if (!binding.types.matches(type)) {
                continue;
            }
            for (MethodDescription method : type.getDeclaredMethods()) {
                if (binding.selects(method)) {
                    builder = builder.visit(AdviceFactory.adviceFor(method, binding.operationIndex).on(is(method)));
                    report.instrumented(binding, type, method, AdviceFactory.countsItems(method));
                }
            }
            report.checkInherited(binding, type);
        }
        return builder;
    }

    /** Reports classes that could not be instrumented; they stay as they were. */
    private static final class FailureListener extends AgentBuilder.Listener.Adapter {
        private final MatchReport report;

        FailureListener(MatchReport report) {
            this.report = report;
        }

        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            report.instrumentationFailed(typeName, throwable);
        }
    }
}
