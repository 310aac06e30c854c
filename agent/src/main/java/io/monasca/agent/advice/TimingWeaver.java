package io.monasca.agent.advice;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassTooLargeException;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weaves timing into the chosen methods of one class file ({@link TimedMethodVisitor} shows the woven code), with
 * ASM on a plain class reader and writer: the class's shape (fields, methods, signatures) never changes, so classes
 * can be woven when they load, retransformed when the agent attaches, and restored when it detaches. Frames are
 * written by hand, never computed, so weaving loads no class. Methods the weaving does not touch are copied as they
 * are.
 *
 * <p>A method is woven only in a form the weaver can show correct; any other is left as it was and listed in
 * {@link Result#skipped} with the reason: a method near the class-file limits (locals, operand stack, 64 KiB of
 * code), a native one, one whose operand stack at a return cannot be followed. Class files without stack map frames
 * (before Java 6, and Java 6 methods that have none or use subroutines) get no frames either: the JVM's older
 * verifier infers the types, and each return gets its own copy of the exit code, so no two paths with different
 * stacks ever meet.
 *
 * <p>Written for start-up cost: weaving the first class loads about 30 small classes and runs in a few milliseconds,
 * where Byte Buddy's {@code Advice} loaded about 480 and took some 150 ms of CPU (measured in this project).
 */
public final class TimingWeaver {
    /** The class-file limit on a method's local variable slots and operand stack (both are u2). */
    static final int CLASS_FILE_LIMIT = 0xFFFF;

    /** Decides which methods of the class to time. */
    public interface Selector {
        /** From {@link #operationFor}: time the method as a deferred site, decided at its first call. */
        int DEFERRED = -2;

        /**
         * The operation to time this method as, -1, or {@link #DEFERRED}; asked for {@linkplain #isTimeable
         * timeable} and native methods.
         */
        int operationFor(String name, String descriptor, int access);

        /** Whether the class (internal name) a method returns is a {@code java.util.Collection}. */
        boolean isCollection(String internalName);

        /** Whether the results of this operation's methods count items (key {@code items.<op>}, not {@code none}). */
        default boolean countsItems(int operation) {
            return true;
        }

        /**
         * Whether to ask any collection this operation's methods return for its size, the application's own
         * classes too ({@code items.<op>=size}); otherwise only the JDK's own collections that answer from a field.
         */
        default boolean asksAnySize(int operation) {
            return false;
        }

        /** For a method {@link #operationFor} answered {@link #DEFERRED}: its new site's number, or -1 to leave it. */
        default int deferredSite(String name, String descriptor, ReturnKind kind) {
            return -1;
        }
    }

    /** One method woven. */
    public static final class WovenMethod {
        /** The operation, or {@link Selector#DEFERRED} for a deferred site. */
        public final int operation;
        public final String name;
        public final String descriptor;
        public final ReturnKind kind;

        WovenMethod(int operation, String name, String descriptor, ReturnKind kind) {
            this.operation = operation;
            this.name = name;
            this.descriptor = descriptor;
            this.kind = kind;
        }
    }

    /** One method chosen but left as it was, and why. */
    public static final class SkippedMethod {
        public final int operation;
        public final String name;
        public final String descriptor;
        public final String reason;
        /** Native: no code at all (a {@code [*]} target does not mean it; a target naming it does). */
        public final boolean isNative;

        SkippedMethod(int operation, String name, String descriptor, String reason, boolean isNative) {
            this.operation = operation;
            this.name = name;
            this.descriptor = descriptor;
            this.reason = reason;
            this.isNative = isNative;
        }
    }

    /** The woven class file (null when no method could be woven), what was woven in it and what was skipped. */
    public static final class Result {
        public final byte[] bytes;
        public final List<WovenMethod> methods;
        public final List<SkippedMethod> skipped;

        Result(byte[] bytes, List<WovenMethod> methods, List<SkippedMethod> skipped) {
            this.bytes = bytes;
            this.methods = Collections.unmodifiableList(methods);
            this.skipped = Collections.unmodifiableList(skipped);
        }
    }

    /** What the first pass learns of a chosen method. */
    static final class Plan {
        final int operation;
        final String name;
        final String descriptor;
        final int access;
        /** The deferred site's number, or -1: then the operation is known. */
        int site = -1;
        int maxStack;
        int maxLocals;
        boolean hasFrames;
        boolean hasSubroutines;
        int returns;

        Plan(int operation, String name, String descriptor, int access) {
            this.operation = operation;
            this.name = name;
            this.descriptor = descriptor;
            this.access = access;
        }

        SkippedMethod skip(String reason) {
            return new SkippedMethod(operation, name, descriptor, reason, (access & Opcodes.ACC_NATIVE) != 0);
        }

        /** Why the woven method would break a class-file limit, or null. */
        String beyondLimits() {
            int added = TimedMethodVisitor.slotsAdded(descriptor);
            if (maxLocals + added > CLASS_FILE_LIMIT) {
                return "it uses " + maxLocals + " local variable slots and the timing needs " + added
                        + " more, beyond the " + CLASS_FILE_LIMIT + " a method may have";
            }
            if (maxStack + TimedMethodVisitor.STACK_NEEDED > CLASS_FILE_LIMIT) {
                return "its operand stack of " + maxStack + " leaves no room for the timing's "
                        + TimedMethodVisitor.STACK_NEEDED + " within the " + CLASS_FILE_LIMIT + " a method may have";
            }
            return null;
        }
    }

    private TimingWeaver() {
    }

    /**
     * Methods the agent can time: those with code of the application's own. Not abstract or native ones (no code),
     * constructors and static initializers (an object under construction cannot be handed around), bridges and
     * compiler-made methods such as lambda bodies (their visible counterparts are timed).
     */
    public static boolean isTimeable(String name, int access) {
        return (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_BRIDGE | Opcodes.ACC_SYNTHETIC)) == 0
                && !name.equals("<init>") && !name.equals("<clinit>");
    }

    /** Returns the woven class, or null when the selector chose no method. */
    public static Result weave(byte[] classFile, Selector selector) {
        ClassReader reader = new ClassReader(classFile);
        int major = reader.readUnsignedShort(6);
        List<SkippedMethod> skipped = new ArrayList<SkippedMethod>();
        Map<String, Plan> chosen = choose(reader, selector, skipped);
        if (chosen.isEmpty()) {
            return skipped.isEmpty() ? null : new Result(null, new ArrayList<WovenMethod>(), skipped);
        }
        while (!chosen.isEmpty()) {
            try {
                return write(reader, major, chosen, selector, skipped);
            } catch (WeaveRefused refused) {
                skipped.add(chosen.remove(refused.method).skip(refused.getMessage()));
            } catch (MethodTooLargeException tooLarge) {
                Plan plan = chosen.remove(tooLarge.getMethodName() + tooLarge.getDescriptor());
                if (plan == null) {
                    throw tooLarge; // not one of ours: the caller leaves the class as it was
                }
                skipped.add(plan.skip("its code would exceed the 65535 bytes a method may have"));
            } catch (ClassTooLargeException tooLarge) {
                for (Plan plan : chosen.values()) {
                    skipped.add(plan.skip("the class's constant pool would exceed its 65535 entries"));
                }
                chosen.clear();
            }
        }
        return new Result(null, new ArrayList<WovenMethod>(), skipped);
    }

    private static Result write(ClassReader reader, int major, Map<String, Plan> chosen, Selector selector,
                                List<SkippedMethod> skipped) {
        ClassWriter writer = new ClassWriter(reader, 0);
        List<WovenMethod> woven = new ArrayList<WovenMethod>();
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            private String owner;

            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                owner = name;
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
                Plan plan = chosen.get(name + descriptor);
                if (plan == null) {
                    return next;
                }
                ReturnKind kind = ReturnKind.of(descriptor, plan.operation, selector);
                woven.add(new WovenMethod(plan.operation, name, descriptor, kind));
                return new TimedMethodVisitor(next, plan, kind, owner, writesFrames(major, plan));
            }
        }, ClassReader.EXPAND_FRAMES);
        return new Result(writer.toByteArray(), woven, skipped);
    }

    /**
     * Whether the woven method carries stack map frames: where the JVM checks types with them (Java 7 on, and Java 6
     * methods that have them), not where it infers types itself (before Java 6; Java 6 methods without frames or
     * with subroutines, which the JVM verifies the old way).
     */
    static boolean writesFrames(int major, Plan plan) {
        return major > Opcodes.V1_6 || (major == Opcodes.V1_6 && plan.hasFrames && !plan.hasSubroutines);
    }

    /** First pass: the methods to time, each with its operation and what its code needs. */
    private static Map<String, Plan> choose(ClassReader reader, Selector selector, List<SkippedMethod> skipped) {
        Map<String, Plan> chosen = new LinkedHashMap<String, Plan>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                boolean isNative = (access & Opcodes.ACC_NATIVE) != 0;
                if (!isTimeable(name, access & ~Opcodes.ACC_NATIVE)) {
                    return null;
                }
                int operation = selector.operationFor(name, descriptor, access);
                if (isNative) {
                    if (operation >= 0) {
                        skipped.add(new Plan(operation, name, descriptor, access)
                                .skip("it is native: it has no bytecode to time"));
                    }
                    return null;
                }
                int site = operation == Selector.DEFERRED
                        ? selector.deferredSite(name, descriptor, ReturnKind.of(descriptor, operation, selector)) : -1;
                if (operation < 0 && site < 0) {
                    return null;
                }
                Plan plan = new Plan(operation, name, descriptor, access);
                plan.site = site;
                chosen.put(name + descriptor, plan);
                return new PlanningVisitor(plan, chosen, skipped);
            }
        }, ClassReader.SKIP_DEBUG);
        return chosen;
    }

    /** Learns what the weaving of one method needs: frames, subroutines, returns, limits. */
    private static final class PlanningVisitor extends MethodVisitor {
        private final Plan plan;
        private final Map<String, Plan> chosen;
        private final List<SkippedMethod> skipped;

        PlanningVisitor(Plan plan, Map<String, Plan> chosen, List<SkippedMethod> skipped) {
            super(Opcodes.ASM9);
            this.plan = plan;
            this.chosen = chosen;
            this.skipped = skipped;
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            plan.hasFrames = true;
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                plan.returns++;
            }
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            plan.hasSubroutines |= opcode == Opcodes.JSR;
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            plan.hasSubroutines |= opcode == Opcodes.RET;
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            plan.maxStack = maxStack;
            plan.maxLocals = maxLocals;
            String beyond = plan.beyondLimits();
            if (beyond != null) {
                chosen.remove(plan.name + plan.descriptor);
                skipped.add(plan.skip(beyond));
            }
        }
    }
}
