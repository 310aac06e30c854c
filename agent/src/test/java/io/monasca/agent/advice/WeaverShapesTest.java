package io.monasca.agent.advice;

import io.monasca.agent.recording.Recorder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The weaver on code of every shape: javac's (loops, finally, synchronized, switches, long and double locals,
 * lambdas) and hand-made class files that compilers other than javac may produce (values left under a return, no
 * frames at all in a Java 5 class file). Woven classes are loaded, so the JVM's verifier checks them; every method
 * must return and throw exactly what the original does.
 */
class WeaverShapesTest {
    private static final int OP = 3;

    @BeforeAll
    static void recorder() {
        Recorder.start(OP + 1);
    }

    @Test
    void javacShapesBehaveTheSame() throws Exception {
        String name = Shapes.class.getName();
        Class<?> woven = new WovenLoader().with(name, WovenLoader.weaveAll(WovenLoader.classFile(Shapes.class), OP))
                .loadClass(name);
        Object[][] calls = {
                {"loops", new Object[]{10}}, {"wide", new Object[]{3L, 2.5, 4}}, {"finallyReturns", new Object[]{-1}},
                {"finallyReturns", new Object[]{0}}, {"finallyReturns", new Object[]{5}},
                {"synchronizedBlock", new Object[]{11}}, {"synchronizedBlock", new Object[]{3}},
                {"synchronizedMethod", new Object[]{1}}, {"tableSwitch", new Object[]{2}}, {"tableSwitch", new Object[]{9}},
                {"lookupSwitch", new Object[]{"omega"}}, {"lookupSwitch", new Object[]{"x"}}, {"lambdas", new Object[]{5}},
                {"doubles", new Object[]{1.0, 2f}}, {"chars", new Object[]{'a', true}},
                {"varargs", new Object[]{new int[]{3, 9, 2}}}, {"nestedTry", new Object[]{0}},
                {"nestedTry", new Object[]{1}}, {"nestedTry", new Object[]{2}}, {"throwsChecked", new Object[]{true}},
                {"throwsChecked", new Object[]{false}}, {"deep", new Object[]{500}}};
        Recorder.closeInterval();
        for (Object[] call : calls) {
            assertEquals(outcome(Shapes.class, (String) call[0], (Object[]) call[1]),
                    outcome(woven, (String) call[0], (Object[]) call[1]), (String) call[0]);
        }
        long received = Recorder.closeInterval().stream().filter(r -> r.operation == OP).mapToLong(r -> r.received).sum();
        assertEquals(calls.length, received, "every call timed once (deep recursion: the outer call)");
    }

    /** What a call returned or threw, comparable across the two copies of a class. */
    private static String outcome(Class<?> type, String name, Object[] args) throws Exception {
        Method m = null;
        for (Method candidate : type.getMethods()) {
            if (candidate.getName().equals(name) && candidate.getParameterCount() == args.length) {
                m = candidate;
            }
        }
        Object target = Modifier.isStatic(Objects.requireNonNull(m, name).getModifiers()) ? null
                : type.getConstructor().newInstance();
        try {
            return "returned " + m.invoke(target, args);
        } catch (InvocationTargetException e) {
            return "threw " + e.getCause();
        }
    }

    /** A compiler may leave values under the one a method returns; the JVM discards them. So must the weaving. */
    @Test
    void valuesLeftUnderTheResultAreDropped() throws Exception {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
        w.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC, "gen/Leftovers", null, "java/lang/Object", null);
        MethodVisitor m = w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "pick", "(Z)I", null, null);
        m.visitCode();
        m.visitLdcInsn(7L);               // left over: a long...
        m.visitInsn(Opcodes.ICONST_1);    // ...and an int
        m.visitVarInsn(Opcodes.ILOAD, 0);
        Label other = new Label();
        m.visitJumpInsn(Opcodes.IFEQ, other);
        m.visitIntInsn(Opcodes.BIPUSH, 42);
        m.visitInsn(Opcodes.IRETURN);
        m.visitLabel(other);
        m.visitIntInsn(Opcodes.BIPUSH, 13);
        m.visitInsn(Opcodes.IRETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        MethodVisitor v = w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "nothing", "()V", null, null);
        v.visitCode();
        v.visitInsn(Opcodes.DCONST_1);
        v.visitInsn(Opcodes.ACONST_NULL);
        v.visitInsn(Opcodes.RETURN);
        v.visitMaxs(0, 0);
        v.visitEnd();
        w.visitEnd();
        Class<?> woven = new WovenLoader().with("gen.Leftovers", WovenLoader.weaveAll(w.toByteArray(), OP))
                .loadClass("gen.Leftovers");
        assertEquals(42, woven.getMethod("pick", boolean.class).invoke(null, true));
        assertEquals(13, woven.getMethod("pick", boolean.class).invoke(null, false));
        woven.getMethod("nothing").invoke(null);
    }

    /** Java 5 class files have no stack map frames: the weaving must write none either. */
    @Test
    void java5ClassFilesWithoutFrames() throws Exception {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        w.visit(Opcodes.V1_5, Opcodes.ACC_PUBLIC, "gen/Old", null, "java/lang/Object", null);
        MethodVisitor m = w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "abs", "(I)I", null, null);
        m.visitCode();
        m.visitVarInsn(Opcodes.ILOAD, 0);
        Label negative = new Label();
        m.visitJumpInsn(Opcodes.IFLT, negative);
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitInsn(Opcodes.IRETURN);
        m.visitLabel(negative);
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitInsn(Opcodes.INEG);
        m.visitInsn(Opcodes.IRETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        w.visitEnd();
        Class<?> woven = new WovenLoader().with("gen.Old", WovenLoader.weaveAll(w.toByteArray(), OP)).loadClass("gen.Old");
        Recorder.closeInterval();
        assertEquals(5, woven.getMethod("abs", int.class).invoke(null, -5));
        assertEquals(6, woven.getMethod("abs", int.class).invoke(null, 6));
        List<Long> completed = new ArrayList<>();
        Recorder.closeInterval().stream().filter(r -> r.operation == OP).forEach(r -> completed.add(r.completed));
        assertEquals(List.of(2L), completed);
    }
}
