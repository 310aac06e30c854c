package io.monasca.agent.match;

import io.monasca.agent.AgentLog;
import io.monasca.agent.advice.ReturnKind;
import io.monasca.agent.advice.TimingWeaver;
import io.monasca.agent.config.Operation;
import io.monasca.agent.config.OperationTarget;
import io.monasca.agent.recording.DeferredSites;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.objectweb.asm.Type;

/**
 * The agent's class-file transformer: weaves the timing advice into the methods the configured operations name,
 * in classes of the named types and their subtypes, as they load and (attach) in classes already loaded.
 *
 * <p>Every class the JVM loads passes through {@link #transform}, so it asks cheap questions first and stops at the
 * first "no": is the class the JDK's or the agent's; is it a target type by name, or does it declare a method of a
 * name some target times (read from its bytes in one walk over the constant pool). Only then does it resolve the
 * class's supertypes ({@link HierarchyIndex}) and, for a subtype, weave ({@link TimingWeaver}). A class being
 * retransformed (attach) is matched exactly from its class objects. A loading class whose supertypes cannot all be
 * known from bytes (a loader that defines classes from bytes serves no class files) has the methods a target names
 * woven as deferred sites, decided exactly at their first call ({@link DeferredMatching}). (Asking each class
 * loader whether it can see a target at all, as some agents do, costs more than it saves here: a resource lookup
 * through the JDK's loaders searches every module, for each new loader.) Class shapes never change, so the agent can attach to and detach from a running JVM.
 * Nothing it does may fail the class: errors leave the class unchanged, reported. (Classes of named modules need
 * nothing more: when an agent changes a class of a named module, the JDK lets that module read the boot loader's
 * unnamed module, where the recorder is.)
 */
public final class Instrumenter implements ClassFileTransformer {
    private static final String[] IGNORED = {"java/", "jdk/", "sun/", "com/sun/", "io/monasca/agent/", "net/bytebuddy/"};
    /** Transformations nested in our own (a loader whose resource lookup loads classes) are not looked at. */
    private static final int MAX_NESTING = 2;
    private static final ThreadLocal<int[]> NESTING = new ThreadLocal<int[]>() {
        @Override
        protected int[] initialValue() {
            return new int[1];
        }
    };

    private final List<TargetBinding> bindings;
    private final TargetTypes targets;
    private final HierarchyIndex index;
    private final MatchReport report;
    private final DeferredMatching deferred;
    private final LookCost cost = new LookCost();
    private final ClassLoader platformLoader = ClassLoader.getSystemClassLoader().getParent();
    private volatile Instrumentation instrumentation;
    /**
     * Classes woven during a retransformation of ours, told to the report only once the JVM has accepted them: a
     * class the JVM rejects stays as it was, and its methods are not timed.
     */
    private final Map<Class<?>, WovenClass> awaitingAcceptance = new ConcurrentHashMap<Class<?>, WovenClass>();
    /** Set while this thread runs a retransformation of ours. */
    private static final ThreadLocal<boolean[]> RETRANSFORMING = new ThreadLocal<boolean[]>() {
        @Override
        protected boolean[] initialValue() {
            return new boolean[1];
        }
    };

    public Instrumenter(List<Operation> operations) {
        List<TargetBinding> list = new ArrayList<TargetBinding>();
        for (int i = 0; i < operations.size(); i++) {
            for (OperationTarget target : operations.get(i).targets) {
                list.add(new TargetBinding(i, operations.get(i), target));
            }
        }
        this.bindings = Collections.unmodifiableList(list);
        this.targets = new TargetTypes(bindings);
        this.index = new HierarchyIndex(targets);
        this.report = new MatchReport(bindings);
        this.deferred = new DeferredMatching(bindings, targets, index, report);
    }

    public MatchReport report() {
        return report;
    }

    public LookCost cost() {
        return cost;
    }

    /**
     * Registers the transformer; with {@code loadedToo} (attach) also weaves the matching classes already loaded.
     * Nothing is registered when no target is configured: then no class is even looked at.
     */
    public void install(Instrumentation instrumentation, boolean loadedToo) {
        this.instrumentation = instrumentation;
        if (targets.isEmpty()) {
            return;
        }
        DeferredSites.start(deferred);
        instrumentation.addTransformer(this, true);
        if (loadedToo) {
            List<Class<?>> candidates = new ArrayList<Class<?>>();
            for (Class<?> c : instrumentation.getAllLoadedClasses()) {
                if (isCandidate(c) && instrumentation.isModifiableClass(c)) {
                    candidates.add(c);
                }
            }
            retransform(candidates);
        }
    }

    /** Removes the transformer and restores every class it wove; returns how many. */
    public int reset() {
        Instrumentation inst = instrumentation;
        if (inst == null || targets.isEmpty()) {
            return 0;
        }
        inst.removeTransformer(this);
        DeferredSites.stop();
        List<Class<?>> woven = new ArrayList<Class<?>>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            ClassLoader loader = c.getClassLoader();
            LoaderTypes types = loader == null ? null : index.existingTypesOf(loader);
            if (types != null && types.isWoven(internalName(c))) {
                woven.add(c);
            }
        }
        retransform(woven);
        return woven.size();
    }

    /**
     * Retransforms all at once; if the JVM refuses the batch (it then applies none of it), each half again, down to
     * the classes it refuses alone: some calls for a few bad classes among thousands, not one call per class. What was
     * woven counts only for the classes the JVM accepted.
     */
    private void retransform(List<Class<?>> classes) {
        if (classes.isEmpty()) {
            return;
        }
        boolean[] retransforming = RETRANSFORMING.get();
        retransforming[0] = true;
        try {
            retransformOrSplit(classes);
        } finally {
            retransforming[0] = false;
        }
    }

    private void retransformOrSplit(List<Class<?>> classes) {
        try {
            instrumentation.retransformClasses(classes.toArray(new Class<?>[0]));
            for (Class<?> c : classes) {
                accepted(c);
            }
        } catch (UnmodifiableClassException | RuntimeException | LinkageError | InternalError refused) {
            // InternalError: how the JDK reports some refusals (JVMTI's "invalid class")
            if (classes.size() == 1) {
                rejected(classes.get(0), refused);
                return;
            }
            for (Class<?> c : classes) {
                awaitingAcceptance.remove(c); // the JVM applied none of them: woven again below
            }
            int half = classes.size() / 2;
            retransformOrSplit(classes.subList(0, half));
            retransformOrSplit(classes.subList(half, classes.size()));
        }
    }

    private void accepted(Class<?> c) {
        WovenClass woven = awaitingAcceptance.remove(c);
        if (woven != null) {
            woven.count();
        }
    }

    private void rejected(Class<?> c, Throwable cause) {
        WovenClass woven = awaitingAcceptance.remove(c);
        if (woven != null) {
            woven.rejected(cause);
        } else {
            report.instrumentationFailed(c.getName(), cause);
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] bytes) {
        if (loader == null || loader == platformLoader || className == null || isIgnored(className)) {
            return null;
        }
        int[] nesting = NESTING.get();
        if (nesting[0] >= MAX_NESTING) {
            return null;
        }
        nesting[0]++;
        long start = System.nanoTime();
        try {
            return weaveIfTarget(loader, className, classBeingRedefined, bytes);
        } catch (Throwable t) {
            report.instrumentationFailed(className.replace('/', '.'), t);
            return null;
        } finally {
            nesting[0]--;
            cost.looked(System.nanoTime() - start);
        }
    }

    private byte[] weaveIfTarget(ClassLoader loader, String className, Class<?> loaded, byte[] bytes) {
        boolean named = targets.bitOf(className) != 0;
        String[] supertypes;
        try {
            // valid until the next parse on this thread; the names let it say "no" for most classes while parsing
            ClassHeader header = ClassHeader.parse(bytes, targets.anyAllMethods ? null : targets.methodNames);
            if (!named && !targets.anyAllMethods && !header.declaresMethodNamed(targets.methodNames)) {
                return null;
            }
            supertypes = header.supertypes();
        } catch (RuntimeException malformed) {
            return null; // the JVM rejects it itself
        }
        return weaveIfSubtype(loader, className, loaded, bytes, supertypes);
    }

    /** A candidate (the rare case): resolves its supertypes and weaves it if it is a subtype of a target type. */
    private byte[] weaveIfSubtype(ClassLoader loader, String className, Class<?> loaded, byte[] bytes,
                                  String[] supertypes) {
        int version = ((bytes[6] & 0xFF) << 8) | (bytes[7] & 0xFF);
        LoaderTypes types = index.typesOf(loader);
        HierarchyIndex.Unresolved unresolved = new HierarchyIndex.Unresolved();
        long bits = loaded != null ? index.bitsOf(loaded) : index.bitsOf(loader, types, className, supertypes, unresolved);
        if (bits == 0 && !unresolved.any) {
            return null;
        }
        List<TargetBinding> matching = new ArrayList<TargetBinding>();
        for (TargetBinding b : bindings) {
            if ((bits & targets.bitOf(b.internalTypeName())) != 0) {
                matching.add(b);
            }
        }
        String type = className.replace('/', '.');
        Selection selection = new Selection(loader, types, matching, unresolved.any ? type : null, version);
        long weaveStart = System.nanoTime();
        TimingWeaver.Result woven = TimingWeaver.weave(bytes, selection);
        cost.weaving(System.nanoTime() - weaveStart);
        explainMissing(loader, types, className, ClassHeader.parseOwned(bytes), matching, woven);
        if (woven == null) {
            return null;
        }
        WovenClass result = new WovenClass(types, className, matching, woven);
        result.skipped();
        if (woven.bytes == null) {
            return null;
        }
        if (loaded != null && RETRANSFORMING.get()[0]) {
            awaitingAcceptance.put(loaded, result);
        } else {
            result.count(); // defined by the JVM right after this returns (or by another agent's retransformation)
        }
        return woven.bytes;
    }

    /** One class woven: what it tells the report once the JVM has it. */
    private final class WovenClass {
        private final LoaderTypes types;
        private final String className;
        private final String typeName;
        private final List<TargetBinding> matching;
        private final TimingWeaver.Result woven;

        WovenClass(LoaderTypes types, String className, List<TargetBinding> matching, TimingWeaver.Result woven) {
            this.types = types;
            this.className = className;
            this.typeName = className.replace('/', '.');
            this.matching = matching;
            this.woven = woven;
        }

        /** The JVM has the woven class: its methods are timed from now on. */
        void count() {
            types.woven(className);
            cost.changed();
            for (TimingWeaver.WovenMethod m : woven.methods) {
                for (TargetBinding b : matching) {
                    if (b.operationIndex == m.operation && b.names(m.name)) {
                        report.instrumented(b, m.name, signature(typeName, m.name, m.descriptor),
                                m.kind.countsItems());
                    }
                }
            }
        }

        /** The JVM refused the woven class: it stays as it was; each chosen method says so. */
        void rejected(Throwable cause) {
            for (TimingWeaver.WovenMethod m : woven.methods) {
                notWoven(m.operation, m.name, m.descriptor, "the JVM rejected the woven class (" + cause + ")", true, false);
            }
        }

        /** Methods chosen but left as they were, each with its reason. */
        void skipped() {
            for (TimingWeaver.SkippedMethod m : woven.skipped) {
                notWoven(m.operation, m.name, m.descriptor, m.reason, false, m.isNative);
            }
        }

        private void notWoven(int operation, String name, String descriptor, String reason, boolean agentFault,
                              boolean onlyIfNamed) {
            for (TargetBinding b : matching) {
                if (b.operationIndex == operation && b.names(name) && !(onlyIfNamed && b.target.allMethods())) {
                    report.notWoven(b, name, signature(typeName, name, descriptor), reason, agentFault);
                }
            }
        }
    }

    /**
     * Chooses the methods of one class to time: the first binding that names the method and whose type the class
     * reaches gives its operation. While the class's hierarchy is unresolved, a binding it may reach, before any it
     * surely reaches, makes the method a deferred site.
     */
    private final class Selection implements TimingWeaver.Selector {
        /** The first class-file version with class constants ({@code LDC} of a class): Java 5. */
        private static final int CLASS_CONSTANTS = 49;

        private final ClassLoader loader;
        private final LoaderTypes types;
        private final List<TargetBinding> matching;
        /** The class (dotted), when its hierarchy is unresolved; else null. */
        private final String unresolvedType;
        private final int version;

        Selection(ClassLoader loader, LoaderTypes types, List<TargetBinding> matching, String unresolvedType,
                  int version) {
            this.loader = loader;
            this.types = types;
            this.matching = matching;
            this.unresolvedType = unresolvedType;
            this.version = version;
        }

        @Override
        public int operationFor(String name, String descriptor, int access) {
            for (TargetBinding b : bindings) {
                if (!b.names(name)) {
                    continue;
                }
                if (matching.contains(b)) {
                    return b.operationIndex;
                }
                if (unresolvedType != null) {
                    if (version >= CLASS_CONSTANTS) {
                        return DEFERRED;
                    }
                    AgentLog.warnOnce("deferred-version:" + unresolvedType, "not timed: the methods of "
                            + unresolvedType + " (class-file version " + version + ", before Java 5) that a target"
                            + " names, because its supertypes were unknown when it loaded and such a class file"
                            + " cannot name its own class to decide at run time");
                    return -1;
                }
            }
            return -1;
        }

        @Override
        public boolean countsItems(int operation) {
            return itemsOf(operation) != Operation.Items.NONE;
        }

        @Override
        public boolean asksAnySize(int operation) {
            return itemsOf(operation) == Operation.Items.SIZE;
        }

        private Operation.Items itemsOf(int operation) {
            for (TargetBinding b : matching) {
                if (b.operationIndex == operation) {
                    return b.operation.items;
                }
            }
            return Operation.Items.AUTO;
        }

        @Override
        public int deferredSite(String name, String descriptor, ReturnKind kind) {
            return deferred.add(unresolvedType, name, signature(unresolvedType, name, descriptor), kind.countsItems());
        }

        @Override
        public boolean isCollection(String internalName) {
            Boolean known = types.isCollection(internalName);
            if (known == null) {
                known = HierarchyIndex.reaches(loader, internalName, "java/util/Collection", 0);
                types.collection(internalName, known);
            }
            return known;
        }
    }

    private static String signature(String type, String method, String descriptor) {
        StringBuilder parameters = new StringBuilder();
        for (Type p : Type.getArgumentTypes(descriptor)) {
            parameters.append(parameters.length() == 0 ? "" : ", ").append(p.getClassName());
        }
        return type + "." + method + "(" + parameters + ") returns " + Type.getReturnType(descriptor).getClassName();
    }

    /**
     * Hints for the unmatched-target warning, when a matching type lacks a method a target names: it declares only
     * constructors ({@code [*]}), or it inherits the method from outside the target's hierarchy (a superclass, or a
     * default method of an interface). Reads the supertypes' class files; runs only for matching types.
     */
    private void explainMissing(ClassLoader loader, LoaderTypes types, String className, ClassHeader header,
                                List<TargetBinding> matching, TimingWeaver.Result woven) {
        for (TargetBinding b : matching) {
            if (b.target.allMethods()) {
                if (woven == null || !wove(woven, b)) {
                    if (!header.declaresMethods()) {
                        report.onlyConstructors(b, className.replace('/', '.'));
                    }
                }
                continue;
            }
            for (String method : b.target.methods) {
                if (!header.declaresTimeable(method)) {
                    Hint hint = declarerOutside(loader, types, header.supertypes(), method, b, 0);
                    if (hint != null) {
                        report.inherited(b, method, hint.type, hint.isInterface);
                    }
                }
            }
        }
    }

    private static boolean wove(TimingWeaver.Result woven, TargetBinding b) {
        for (TimingWeaver.WovenMethod m : woven.methods) {
            if (m.operation == b.operationIndex) {
                return true;
            }
        }
        return false;
    }

    /** Where a type declares a method it would inherit. */
    private static final class Hint {
        final String type;
        final boolean isInterface;

        Hint(String type, boolean isInterface) {
            this.type = type;
            this.isInterface = isInterface;
        }
    }

    /** The first supertype outside the binding's hierarchy that declares {@code method}, searched depth first. */
    private Hint declarerOutside(ClassLoader loader, LoaderTypes types, String[] supertypes, String method,
                                 TargetBinding binding, int depth) {
        if (depth > 32) {
            return null;
        }
        for (String supertype : supertypes) {
            byte[] bytes = HierarchyIndex.read(loader, supertype);
            if (bytes == null) {
                continue;
            }
            ClassHeader header = ClassHeader.parseOwned(bytes);
            boolean outside = (index.resolve(loader, types, supertype, 0) & targets.bitOf(binding.internalTypeName())) == 0;
            if (outside && header.declaresTimeable(method)) {
                return new Hint(supertype.replace('/', '.'), header.isInterface());
            }
            Hint deeper = declarerOutside(loader, types, header.supertypes(), method, binding, depth + 1);
            if (deeper != null) {
                return deeper;
            }
        }
        return null;
    }

    private static boolean isIgnored(String internalName) {
        for (String prefix : IGNORED) {
            if (internalName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String internalName(Class<?> c) {
        return c.getName().replace('.', '/');
    }

    /** A loaded class worth retransforming: an application class that is a target type or a subtype of one. */
    private boolean isCandidate(Class<?> c) {
        ClassLoader loader = c.getClassLoader();
        if (loader == null || loader == platformLoader || c.isArray() || c.isPrimitive() || isIgnored(internalName(c))) {
            return false;
        }
        return isTargetOrSubtype(c);
    }

    private boolean isTargetOrSubtype(Class<?> c) {
        if (targets.bitOf(internalName(c)) != 0) {
            return true;
        }
        Class<?> superclass = c.getSuperclass();
        if (superclass != null && isTargetOrSubtype(superclass)) {
            return true;
        }
        for (Class<?> i : c.getInterfaces()) {
            if (isTargetOrSubtype(i)) {
                return true;
            }
        }
        return false;
    }

    /** For the unmatched-target hints: a loaded hidden class that is a subtype of the type. */
    public MatchReport.LoadedClasses loadedClasses() {
        return new LoadedHiddenClasses();
    }

    private final class LoadedHiddenClasses implements MatchReport.LoadedClasses {
        @Override
        public String hiddenSubtype(String type) {
            Instrumentation inst = instrumentation;
            if (inst == null) {
                return null;
            }
            for (Class<?> c : inst.getAllLoadedClasses()) {
                // a hidden class's name has a '/' (Java 15+), as a VM-anonymous class's had (Java 8)
                if (c.getName().indexOf('/') >= 0 && !inst.isModifiableClass(c) && isSubtypeNamed(c, type)) {
                    return c.getName();
                }
            }
            return null;
        }
    }

    private static boolean isSubtypeNamed(Class<?> c, String type) {
        if (c == null) {
            return false;
        }
        if (c.getName().equals(type) || isSubtypeNamed(c.getSuperclass(), type)) {
            return true;
        }
        for (Class<?> i : c.getInterfaces()) {
            if (isSubtypeNamed(i, type)) {
                return true;
            }
        }
        return false;
    }
}
