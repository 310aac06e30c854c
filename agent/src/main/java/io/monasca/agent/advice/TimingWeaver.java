package io.monasca.agent.advice;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Weaves timing into the chosen methods of one class file ({@link TimedMethodVisitor} shows the woven code), with
 * ASM on a plain class reader and writer: the class's shape (fields, methods, signatures) never changes, so classes
 * can be woven when they load, retransformed when the agent attaches, and restored when it detaches. Frames are
 * written by hand, never computed, so weaving loads no class. Methods the weaving does not touch are copied as they
 * are.
 *
 * <p>Written for start-up cost: weaving the first class loads about 30 small classes and runs in a few milliseconds,
 * where Byte Buddy's {@code Advice} loaded about 480 and took some 150 ms of CPU (measured in this project).
 */
public final class TimingWeaver {
    /** Decides which methods of the class to time. */
    public interface Selector {
        /** From {@link #operationFor}: time the method as a deferred site, decided at its first call. */
        int DEFERRED = -2;

        /**
         * The operation to time this method as, -1, or {@link #DEFERRED}; asked only for {@linkplain #isTimeable
         * timeable} methods.
         */
        int operationFor(String name, String descriptor, int access);

        /** Whether the class (internal name) a method returns is a {@code java.util.Collection}. */
        boolean isCollection(String internalName);

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

    /** The woven class file and what was woven in it. */
    public static final class Result {
        public final byte[] bytes;
        public final List<WovenMethod> methods;

        Result(byte[] bytes, List<WovenMethod> methods) {
            this.bytes = bytes;
            this.methods = Collections.unmodifiableList(methods);
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
        Map<String, int[]> chosen = choose(reader, selector);
        if (chosen.isEmpty()) {
            return null;
        }
        ClassWriter writer = new ClassWriter(reader, 0);
        List<WovenMethod> woven = new ArrayList<WovenMethod>();
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            private String owner;
            private boolean frames;

            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                owner = name;
                frames = (version & 0xFFFF) >= Opcodes.V1_6;
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
                int[] choice = chosen.get(name + descriptor);
                if (choice == null) {
                    return next;
                }
                ReturnKind kind = ReturnKind.of(descriptor, selector);
                woven.add(new WovenMethod(choice[0], name, descriptor, kind));
                return new TimedMethodVisitor(next, choice[0], choice[2], kind, access, owner, descriptor, choice[1],
                        frames);
            }
        }, ClassReader.EXPAND_FRAMES);
        return new Result(writer.toByteArray(), woven);
    }

    /** First pass: the methods to time, each with its operation, its own max locals and its deferred site (or -1). */
    private static Map<String, int[]> choose(ClassReader reader, Selector selector) {
        Map<String, int[]> chosen = new HashMap<String, int[]>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                if (!isTimeable(name, access)) {
                    return null;
                }
                int operation = selector.operationFor(name, descriptor, access);
                int site = operation == Selector.DEFERRED
                        ? selector.deferredSite(name, descriptor, ReturnKind.of(descriptor, selector)) : -1;
                if (operation < 0 && site < 0) {
                    return null;
                }
                int[] choice = {operation, 0, site};
                chosen.put(name + descriptor, choice);
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMaxs(int maxStack, int maxLocals) {
                        choice[1] = maxLocals;
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return chosen;
    }
}
