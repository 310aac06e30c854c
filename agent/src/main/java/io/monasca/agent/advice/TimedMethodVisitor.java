package io.monasca.agent.advice;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Weaves the timing of one method. The woven method, in Java terms:
 * <pre>
 * Cell cell;
 * try { cell = Recorder.enter(OPERATION); } catch (Throwable t) { cell = null; }
 * try {
 *     ... the original code, each return jumping to EXIT with its value ...
 * } catch (any thrown) {
 *     if (cell != null) { try { cell.active = false; Recorder.exit(cell, thrown, 0); } catch (Throwable t) { } }
 *     throw thrown;
 * }
 * EXIT:
 * if (cell != null) { try { cell.active = false; Recorder.exit(cell, null, ITEMS(result)); } catch (Throwable t) { } }
 * return result;
 * </pre>
 * The operation is a constant; nothing is looked up per call. (A deferred site, whose operation is decided at its
 * first call, enters with {@code Recorder.enterDeferred(SITE, ThisClass.class)} instead.) What the agent's code throws (it should not: the
 * recorder catches its own errors) is dropped, so the method returns and throws exactly what it did before. The
 * woven exit clears the cell's {@code active} flag itself, before the call, so that even a StackOverflowError on
 * that call cannot stop timing on the thread for good.
 *
 * <p>The agent's locals go after the method's own ({@code maxLocals} of the original), so the original code is not
 * renumbered; its frames get the cell appended. The code the agent adds declares every original local as TOP in its
 * frames, so it verifies whatever the original code stored where.
 *
 * <p>With frames, every return stores its value, drops what a compiler left under it (the stack is known there:
 * from the frames and the instructions since) and jumps to the one exit; a return where the stack is not known is
 * refused ({@link WeaveRefused}), and the method left as it was. Without frames (old class files), each return gets
 * its own exit in place, which leaves whatever is under the value where it is (a return discards it), so the old
 * verifier never sees two paths with different stacks meet; its handler comes first in the exception table, so no
 * handler of the method's own can catch what the agent's call throws.
 */
final class TimedMethodVisitor extends StackTrackingMethodVisitor {
    static final String RECORDER = "io/monasca/agent/recording/Recorder";
    static final String CELL = "io/monasca/agent/recording/Cell";
    private static final String THROWABLE = "java/lang/Throwable";
    private static final String EXIT_DESCRIPTOR = "(L" + CELL + ";L" + THROWABLE + ";J)V";
    /** Stack the added code needs: a cell, a cell, a throwable and a long. */
    static final int STACK_NEEDED = 5;

    private final int operation;
    /** The deferred site's number, or -1: then the operation is known. */
    private final int site;
    private final ReturnKind kind;
    private final Type result;
    private final boolean frames;
    private final String method;
    private final int originalMaxLocals;
    private final int originalMaxStack;
    /** Without frames: one exit in place per return of the original, in order. */
    private final InlineExit[] inlineExits;
    private int nextInlineExit;
    private final String owner;
    private final int cell;
    private final int value;
    private final int thrown;
    /** The method's entry frame (this, parameters), padded with TOP to the original max locals. */
    private final Object[] entryLocals;

    private final Label enterStart = new Label();
    private final Label enterEnd = new Label();
    private final Label enterHandler = new Label();
    private final Label bodyStart = new Label();
    private final Label bodyEnd = new Label();
    private final Label bodyHandler = new Label();
    private final Label throwStart = new Label();
    private final Label throwEnd = new Label();
    private final Label throwHandler = new Label();
    private final Label rethrow = new Label();
    private final Label exit = new Label();
    private final Label exitStart = new Label();
    private final Label exitEnd = new Label();
    private final Label exitHandler = new Label();
    private final Label doReturn = new Label();

    private boolean begun;
    /** The frame after the entry code: written before the first original instruction, unless the original has one. */
    private boolean entryFramePending;

    TimedMethodVisitor(MethodVisitor next, TimingWeaver.Plan plan, ReturnKind kind, String owner, boolean frames) {
        super(next);
        this.operation = plan.operation;
        this.site = plan.site;
        this.owner = owner;
        this.kind = kind;
        this.result = Type.getReturnType(plan.descriptor);
        this.frames = frames;
        this.method = plan.name + plan.descriptor;
        this.originalMaxLocals = plan.maxLocals;
        this.originalMaxStack = plan.maxStack;
        this.cell = plan.maxLocals;
        this.value = cell + 1;
        this.thrown = value + result.getSize();
        this.entryLocals = entryLocals(plan.access, owner, plan.descriptor, plan.maxLocals);
        this.inlineExits = new InlineExit[frames ? 0 : plan.returns];
    }

    /** Local variable slots the woven code adds to a method of this descriptor: cell, value, thrown. */
    static int slotsAdded(String descriptor) {
        return 2 + Type.getReturnType(descriptor).getSize();
    }

    /** The labels of one exit in place. */
    private static final class InlineExit {
        final Label start = new Label();
        final Label end = new Label();
        final Label handler = new Label();
        final Label doReturn = new Label();
    }

    @Override
    public void visitCode() {
        super.visitCode();
        // before the method's own handlers: the first matching entry of the exception table wins
        for (int i = 0; i < inlineExits.length; i++) {
            InlineExit x = new InlineExit();
            inlineExits[i] = x;
            mv.visitTryCatchBlock(x.start, x.end, x.handler, THROWABLE);
        }
    }

    private static Object[] entryLocals(int access, String owner, String descriptor, int maxLocals) {
        List<Object> locals = new ArrayList<Object>();
        int slots = 0;
        if ((access & Opcodes.ACC_STATIC) == 0) {
            locals.add(owner);
            slots++;
        }
        for (Type t : Type.getArgumentTypes(descriptor)) {
            locals.add(frameType(t));
            slots += t.getSize();
        }
        for (; slots < maxLocals; slots++) {
            locals.add(Opcodes.TOP);
        }
        return locals.toArray();
    }

    /** A value's type as frames write it. */
    private static Object frameType(Type t) {
        switch (t.getSort()) {
            case Type.BOOLEAN: case Type.BYTE: case Type.CHAR: case Type.SHORT: case Type.INT:
                return Opcodes.INTEGER;
            case Type.FLOAT:
                return Opcodes.FLOAT;
            case Type.LONG:
                return Opcodes.LONG;
            case Type.DOUBLE:
                return Opcodes.DOUBLE;
            default:
                return t.getInternalName(); // classes, and arrays as their descriptor
        }
    }

    /** {@code count} TOP entries (one per slot of the original locals), then {@code extra}. */
    private Object[] topsThen(Object... extra) {
        Object[] locals = new Object[originalMaxLocals + extra.length];
        Arrays.fill(locals, 0, originalMaxLocals, Opcodes.TOP);
        System.arraycopy(extra, 0, locals, originalMaxLocals, extra.length);
        return locals;
    }

    private void frame(Object[] locals, Object... stack) {
        if (frames) {
            mv.visitFrame(Opcodes.F_NEW, locals.length, locals, stack.length, stack);
        }
    }

    /** Runs once the original's exception handlers are registered (ours must come after them), before its code. */
    private void begin() {
        if (begun) {
            return;
        }
        begun = true;
        mv.visitTryCatchBlock(bodyStart, bodyEnd, bodyHandler, null);
        mv.visitTryCatchBlock(enterStart, enterEnd, enterHandler, THROWABLE);
        mv.visitTryCatchBlock(throwStart, throwEnd, throwHandler, THROWABLE);
        if (frames) {
            mv.visitTryCatchBlock(exitStart, exitEnd, exitHandler, THROWABLE); // the one exit; else exits in place
        }
        Label afterEnter = new Label();
        mv.visitLabel(enterStart);
        if (site < 0) {
            pushInt(operation);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, RECORDER, "enter", "(I)L" + CELL + ";", false);
        } else { // two values: within STACK_NEEDED; an LDC of a class needs class-file version 49 (the caller checks)
            pushInt(site);
            mv.visitLdcInsn(Type.getObjectType(owner));
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, RECORDER, "enterDeferred", "(ILjava/lang/Class;)L" + CELL + ";",
                    false);
        }
        mv.visitVarInsn(Opcodes.ASTORE, cell);
        mv.visitLabel(enterEnd);
        mv.visitJumpInsn(Opcodes.GOTO, afterEnter);
        mv.visitLabel(enterHandler);
        frame(entryLocals, THROWABLE);
        mv.visitInsn(Opcodes.POP);
        mv.visitInsn(Opcodes.ACONST_NULL);
        mv.visitVarInsn(Opcodes.ASTORE, cell);
        mv.visitLabel(afterEnter);
        mv.visitLabel(bodyStart);
        entryFramePending = frames;
    }

    /** Before an original instruction: the entry frame, if the original code has none at its start. */
    private void beforeInstruction() {
        begin();
        if (entryFramePending) {
            entryFramePending = false;
            Object[] locals = Arrays.copyOf(entryLocals, entryLocals.length + 1);
            locals[entryLocals.length] = CELL;
            mv.visitFrame(Opcodes.F_NEW, locals.length, locals, 0, new Object[0]);
        }
    }

    private void pushInt(int v) {
        if (v <= 5) {
            mv.visitInsn(Opcodes.ICONST_0 + v);
        } else if (v <= Byte.MAX_VALUE) {
            mv.visitIntInsn(Opcodes.BIPUSH, v);
        } else if (v <= Short.MAX_VALUE) {
            mv.visitIntInsn(Opcodes.SIPUSH, v);
        } else {
            mv.visitLdcInsn(v); // site numbers can grow past a short
        }
    }

    @Override
    public void visitLabel(Label label) {
        begin();
        super.visitLabel(label);
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        begin();
        entryFramePending = false; // the original's own frame at this offset: it gets the cell below
        Object[] locals = new Object[originalMaxLocals + 1];
        int n = 0;
        int slots = 0;
        for (int i = 0; i < numLocal; i++) {
            locals[n++] = local[i];
            slots += local[i] == Opcodes.LONG || local[i] == Opcodes.DOUBLE ? 2 : 1;
        }
        for (; slots < originalMaxLocals; slots++) {
            locals[n++] = Opcodes.TOP;
        }
        locals[n++] = CELL;
        super.visitFrame(Opcodes.F_NEW, n, locals, numStack, stack);
    }

    @Override
    public void visitInsn(int opcode) {
        beforeInstruction();
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
            jumpToExit();
            return;
        }
        super.visitInsn(opcode);
    }

    /** An original return: keep the value, drop whatever a compiler left under it, and go to the common exit. */
    private void jumpToExit() {
        if (!frames) {
            exitInPlace();
            return;
        }
        int[] stack = stackSizes();
        if (stack == null) {
            throw new WeaveRefused(method, "the operand stack at one of its returns could not be followed");
        }
        int leftovers = stack.length - (result.getSize() > 0 ? 1 : 0);
        if (result.getSort() != Type.VOID) {
            mv.visitVarInsn(result.getOpcode(Opcodes.ISTORE), value);
        }
        for (int i = leftovers - 1; i >= 0; i--) {
            mv.visitInsn(stack[i] == 2 ? Opcodes.POP2 : Opcodes.POP);
        }
        mv.visitJumpInsn(Opcodes.GOTO, exit);
        unreachable();
    }

    /**
     * Without frames: the exit written at the return itself. What lies under the value stays (the return discards
     * it), and each path ends in a return of its own: no merge of paths with different stacks.
     */
    private void exitInPlace() {
        if (nextInlineExit == inlineExits.length) {
            throw new WeaveRefused(method, "it has more returns than its first reading found");
        }
        InlineExit x = inlineExits[nextInlineExit++];
        if (result.getSort() != Type.VOID) {
            mv.visitVarInsn(result.getOpcode(Opcodes.ISTORE), value);
        }
        mv.visitVarInsn(Opcodes.ALOAD, cell);
        mv.visitJumpInsn(Opcodes.IFNULL, x.doReturn);
        mv.visitLabel(x.start);
        clearActive();
        mv.visitVarInsn(Opcodes.ALOAD, cell);
        mv.visitInsn(Opcodes.ACONST_NULL);
        exitCall();
        mv.visitLabel(x.end);
        mv.visitLabel(x.doReturn);
        returnValue();
        mv.visitLabel(x.handler);
        mv.visitInsn(Opcodes.POP);
        returnValue();
        unreachable();
    }

    private void returnValue() {
        if (result.getSort() == Type.VOID) {
            mv.visitInsn(Opcodes.RETURN);
        } else {
            mv.visitVarInsn(result.getOpcode(Opcodes.ILOAD), value);
            mv.visitInsn(result.getOpcode(Opcodes.IRETURN));
        }
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        beforeInstruction();
        super.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
        beforeInstruction();
        super.visitVarInsn(opcode, var);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        beforeInstruction();
        super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        beforeInstruction();
        super.visitFieldInsn(opcode, owner, name, descriptor);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        beforeInstruction();
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, org.objectweb.asm.Handle bootstrap,
                                       Object... arguments) {
        beforeInstruction();
        super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        beforeInstruction();
        super.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitLdcInsn(Object constant) {
        beforeInstruction();
        super.visitLdcInsn(constant);
    }

    @Override
    public void visitIincInsn(int var, int increment) {
        beforeInstruction();
        super.visitIincInsn(var, increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        beforeInstruction();
        super.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        beforeInstruction();
        super.visitLookupSwitchInsn(dflt, keys, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int dimensions) {
        beforeInstruction();
        super.visitMultiANewArrayInsn(descriptor, dimensions);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        begin();
        mv.visitLabel(bodyEnd);
        Object[] withValue = result.getSort() == Type.VOID ? topsThen(CELL) : topsThen(CELL, frameType(result));

        // thrown: report and rethrow, unchanged
        Object[] throwing = topsThen(appendTops(new Object[]{CELL}, result.getSize(), THROWABLE));
        mv.visitLabel(bodyHandler);
        frame(topsThen(CELL), THROWABLE);
        mv.visitVarInsn(Opcodes.ASTORE, thrown);
        mv.visitVarInsn(Opcodes.ALOAD, cell);
        mv.visitJumpInsn(Opcodes.IFNULL, rethrow);
        mv.visitLabel(throwStart);
        clearActive();
        mv.visitVarInsn(Opcodes.ALOAD, cell);
        mv.visitVarInsn(Opcodes.ALOAD, thrown);
        mv.visitInsn(Opcodes.LCONST_0);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, RECORDER, "exit", EXIT_DESCRIPTOR, false);
        mv.visitLabel(throwEnd);
        mv.visitJumpInsn(Opcodes.GOTO, rethrow);
        mv.visitLabel(throwHandler);
        frame(throwing, THROWABLE);
        mv.visitInsn(Opcodes.POP);
        mv.visitLabel(rethrow);
        frame(throwing);
        mv.visitVarInsn(Opcodes.ALOAD, thrown);
        mv.visitInsn(Opcodes.ATHROW);

        if (!frames) {
            if (nextInlineExit != inlineExits.length) {
                throw new WeaveRefused(method, "it has fewer returns than its first reading found");
            }
            mv.visitMaxs(originalMaxStack + STACK_NEEDED, thrown + 1);
            return;
        }

        // returned: report and return the value, unchanged
        mv.visitLabel(exit);
        frame(withValue);
        mv.visitVarInsn(Opcodes.ALOAD, cell);
        mv.visitJumpInsn(Opcodes.IFNULL, doReturn);
        mv.visitLabel(exitStart);
        clearActive();
        mv.visitVarInsn(Opcodes.ALOAD, cell);
        mv.visitInsn(Opcodes.ACONST_NULL);
        exitCall();
        mv.visitLabel(exitEnd);
        mv.visitJumpInsn(Opcodes.GOTO, doReturn);
        mv.visitLabel(exitHandler);
        frame(withValue, THROWABLE);
        mv.visitInsn(Opcodes.POP);
        mv.visitLabel(doReturn);
        frame(withValue);
        returnValue();
        mv.visitMaxs(Math.max(maxStack, STACK_NEEDED), thrown + 1);
    }

    private static Object[] appendTops(Object[] head, int tops, Object last) {
        Object[] all = Arrays.copyOf(head, head.length + tops + 1);
        for (int i = 0; i < tops; i++) {
            all[head.length + i] = Opcodes.TOP;
        }
        all[all.length - 1] = last;
        return all;
    }

    private void clearActive() {
        mv.visitVarInsn(Opcodes.ALOAD, cell);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitFieldInsn(Opcodes.PUTFIELD, CELL, "active", "Z");
    }

    /** With the cell and null on the stack: pushes the items and calls the recorder's exit for this result kind. */
    private void exitCall() {
        switch (kind) {
            case INT:
                mv.visitVarInsn(Opcodes.ILOAD, value);
                mv.visitInsn(Opcodes.I2L);
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, RECORDER, "exitWithCount", EXIT_DESCRIPTOR, false);
                return;
            case LONG:
                mv.visitVarInsn(Opcodes.LLOAD, value);
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, RECORDER, "exitWithCount", EXIT_DESCRIPTOR, false);
                return;
            case COLLECTION:
            case ANY_COLLECTION:
                mv.visitVarInsn(Opcodes.ALOAD, value);
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, RECORDER,
                        kind == ReturnKind.COLLECTION ? "exitWithCollection" : "exitWithAnyCollection",
                        "(L" + CELL + ";L" + THROWABLE + ";Ljava/util/Collection;)V", false);
                return;
            case ARRAY:
                mv.visitVarInsn(Opcodes.ALOAD, value);
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, RECORDER, "exitWithArray",
                        "(L" + CELL + ";L" + THROWABLE + ";Ljava/lang/Object;)V", false);
                return;
            default:
                mv.visitInsn(Opcodes.LCONST_0);
        }
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, RECORDER, "exit", EXIT_DESCRIPTOR, false);
    }
}
