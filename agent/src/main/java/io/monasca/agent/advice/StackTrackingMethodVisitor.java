package io.monasca.agent.advice;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.util.HashSet;
import java.util.Set;

/**
 * Passes a method's code on unchanged and keeps track of the size (1 or 2 slots) of each value on the operand stack,
 * so that a subclass can empty the stack where it needs to (at a {@code return}, some compilers leave values under
 * the result). Frames (class files of Java 6 and later) reset the state at every branch target; after an
 * unconditional jump without a frame (older class files) the state is unknown until the next handler or frame.
 */
abstract class StackTrackingMethodVisitor extends MethodVisitor {
    private int[] sizes = new int[16];
    private int depth;
    private boolean known = true;
    private final Set<Label> handlers = new HashSet<Label>();

    StackTrackingMethodVisitor(MethodVisitor next) {
        super(Opcodes.ASM9, next);
    }

    /** Sizes of the values on the stack, bottom first; null when unknown. */
    int[] stackSizes() {
        if (!known) {
            return null;
        }
        int[] copy = new int[depth];
        System.arraycopy(sizes, 0, copy, 0, depth);
        return copy;
    }

    /** The code just written ends this path (a jump the subclass wrote itself). */
    void unreachable() {
        unknown();
    }

    private void push(int size) {
        if (depth == sizes.length) {
            int[] grown = new int[depth * 2];
            System.arraycopy(sizes, 0, grown, 0, depth);
            sizes = grown;
        }
        sizes[depth++] = size;
    }

    private int pop() {
        if (depth == 0) {
            known = false; // the model lost track (never for valid code): stop trusting it
            return 1;
        }
        return sizes[--depth];
    }

    private void pop(int entries) {
        for (int i = 0; i < entries; i++) {
            pop();
        }
    }

    /** One value per argument of a method descriptor, read in place (no Type objects: it runs for every call site). */
    private void popArguments(String descriptor) {
        int i = 1;
        while (descriptor.charAt(i) != ')') {
            while (descriptor.charAt(i) == '[') {
                i++;
            }
            if (descriptor.charAt(i) == 'L') {
                i = descriptor.indexOf(';', i);
            }
            i++;
            pop();
        }
    }

    private void pushResult(String descriptor) {
        char result = descriptor.charAt(descriptor.indexOf(')') + 1);
        if (result != 'V') {
            push(result == 'J' || result == 'D' ? 2 : 1);
        }
    }

    private void unknown() {
        known = false;
        depth = 0;
    }

    @Override
    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
        handlers.add(handler);
        super.visitTryCatchBlock(start, end, handler, type);
    }

    @Override
    public void visitLabel(Label label) {
        if (handlers.contains(label)) {
            depth = 0;
            known = true;
            push(1); // the exception
        }
        super.visitLabel(label);
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        depth = 0;
        known = true;
        for (int i = 0; i < numStack; i++) {
            push(stack[i] == Opcodes.LONG || stack[i] == Opcodes.DOUBLE ? 2 : 1);
        }
        super.visitFrame(type, numLocal, local, numStack, stack);
    }

    @Override
    public void visitInsn(int opcode) {
        if (known) {
            track(opcode);
        }
        super.visitInsn(opcode);
    }

    private void track(int opcode) {
        switch (opcode) {
            case Opcodes.NOP: case Opcodes.INEG: case Opcodes.FNEG: case Opcodes.LNEG: case Opcodes.DNEG:
            case Opcodes.I2F: case Opcodes.F2I: case Opcodes.L2D: case Opcodes.D2L: case Opcodes.I2B: case Opcodes.I2C:
            case Opcodes.I2S: case Opcodes.ARRAYLENGTH:
                break; // the top value keeps its size
            case Opcodes.ACONST_NULL: case Opcodes.ICONST_M1: case Opcodes.ICONST_0: case Opcodes.ICONST_1:
            case Opcodes.ICONST_2: case Opcodes.ICONST_3: case Opcodes.ICONST_4: case Opcodes.ICONST_5:
            case Opcodes.FCONST_0: case Opcodes.FCONST_1: case Opcodes.FCONST_2:
                push(1);
                break;
            case Opcodes.LCONST_0: case Opcodes.LCONST_1: case Opcodes.DCONST_0: case Opcodes.DCONST_1:
                push(2);
                break;
            case Opcodes.IALOAD: case Opcodes.FALOAD: case Opcodes.AALOAD: case Opcodes.BALOAD: case Opcodes.CALOAD:
            case Opcodes.SALOAD: case Opcodes.IADD: case Opcodes.FADD: case Opcodes.ISUB: case Opcodes.FSUB:
            case Opcodes.IMUL: case Opcodes.FMUL: case Opcodes.IDIV: case Opcodes.FDIV: case Opcodes.IREM:
            case Opcodes.FREM: case Opcodes.ISHL: case Opcodes.ISHR: case Opcodes.IUSHR: case Opcodes.IAND:
            case Opcodes.IOR: case Opcodes.IXOR: case Opcodes.LCMP: case Opcodes.FCMPL: case Opcodes.FCMPG:
            case Opcodes.DCMPL: case Opcodes.DCMPG:
                pop(2);
                push(1);
                break;
            case Opcodes.LALOAD: case Opcodes.DALOAD: case Opcodes.LADD: case Opcodes.DADD: case Opcodes.LSUB:
            case Opcodes.DSUB: case Opcodes.LMUL: case Opcodes.DMUL: case Opcodes.LDIV: case Opcodes.DDIV:
            case Opcodes.LREM: case Opcodes.DREM: case Opcodes.LSHL: case Opcodes.LSHR: case Opcodes.LUSHR:
            case Opcodes.LAND: case Opcodes.LOR: case Opcodes.LXOR:
                pop(2);
                push(2);
                break;
            case Opcodes.IASTORE: case Opcodes.LASTORE: case Opcodes.FASTORE: case Opcodes.DASTORE:
            case Opcodes.AASTORE: case Opcodes.BASTORE: case Opcodes.CASTORE: case Opcodes.SASTORE:
                pop(3);
                break;
            case Opcodes.POP: case Opcodes.MONITORENTER: case Opcodes.MONITOREXIT:
                pop();
                break;
            case Opcodes.POP2:
                if (pop() == 1) {
                    pop();
                }
                break;
            case Opcodes.I2L: case Opcodes.I2D: case Opcodes.F2L: case Opcodes.F2D:
                pop();
                push(2);
                break;
            case Opcodes.L2I: case Opcodes.L2F: case Opcodes.D2I: case Opcodes.D2F:
                pop();
                push(1);
                break;
            case Opcodes.DUP:
                push(peek(0));
                break;
            case Opcodes.SWAP:
                rearrange(2, 0, 1);
                break;
            case Opcodes.DUP_X1:
                rearrange(2, 0, 1, 0);
                break;
            case Opcodes.DUP_X2:
                if (peek(1) == 2) {
                    rearrange(2, 0, 1, 0);
                } else {
                    rearrange(3, 0, 2, 1, 0);
                }
                break;
            case Opcodes.DUP2:
                if (peek(0) == 2) {
                    push(2);
                } else {
                    rearrange(2, 1, 0, 1, 0);
                }
                break;
            case Opcodes.DUP2_X1:
                if (peek(0) == 2) {
                    rearrange(2, 0, 1, 0);
                } else {
                    rearrange(3, 1, 0, 2, 1, 0);
                }
                break;
            case Opcodes.DUP2_X2:
                dup2X2();
                break;
            default: // the returns and athrow: nothing follows on this path
                unknown();
        }
    }

    private void dup2X2() {
        if (peek(0) == 2) {
            if (peek(1) == 2) {
                rearrange(2, 0, 1, 0);
            } else {
                rearrange(3, 0, 2, 1, 0);
            }
        } else if (peek(2) == 2) {
            rearrange(3, 1, 0, 2, 1, 0);
        } else {
            rearrange(4, 1, 0, 3, 2, 1, 0);
        }
    }

    /** Size of the value {@code fromTop} places below the top (0: the top). */
    private int peek(int fromTop) {
        if (depth <= fromTop) {
            known = false;
            return 1;
        }
        return sizes[depth - 1 - fromTop];
    }

    /** Pops {@code count} values and pushes them again in the order given (indexes counted from the top, 0 = top). */
    private void rearrange(int count, int... pushFromTop) {
        int[] popped = new int[count];
        for (int i = 0; i < count; i++) {
            popped[i] = pop();
        }
        for (int index : pushFromTop) {
            push(popped[index]);
        }
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        if (known && opcode != Opcodes.NEWARRAY) {
            push(1); // BIPUSH, SIPUSH; NEWARRAY replaces the length with the array
        }
        super.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
        if (known) {
            switch (opcode) {
                case Opcodes.ILOAD: case Opcodes.FLOAD: case Opcodes.ALOAD:
                    push(1);
                    break;
                case Opcodes.LLOAD: case Opcodes.DLOAD:
                    push(2);
                    break;
                case Opcodes.RET:
                    unknown();
                    break;
                default: // the stores
                    pop();
            }
        }
        super.visitVarInsn(opcode, var);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        if (known && opcode == Opcodes.NEW) {
            push(1); // ANEWARRAY, CHECKCAST, INSTANCEOF replace the top value
        }
        super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        if (known) {
            int size = Type.getType(descriptor).getSize();
            switch (opcode) {
                case Opcodes.GETSTATIC:
                    push(size);
                    break;
                case Opcodes.PUTSTATIC:
                    pop();
                    break;
                case Opcodes.GETFIELD:
                    pop();
                    push(size);
                    break;
                default: // PUTFIELD
                    pop(2);
            }
        }
        super.visitFieldInsn(opcode, owner, name, descriptor);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        if (known) {
            popArguments(descriptor);
            if (opcode != Opcodes.INVOKESTATIC) {
                pop();
            }
            pushResult(descriptor);
        }
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, org.objectweb.asm.Handle bootstrap,
                                       Object... arguments) {
        if (known) {
            popArguments(descriptor);
            pushResult(descriptor);
        }
        super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        if (known) {
            switch (opcode) {
                case Opcodes.GOTO:
                    unknown();
                    break;
                case Opcodes.JSR:
                    break; // the subroutine's return address is on its own path
                case Opcodes.IF_ICMPEQ: case Opcodes.IF_ICMPNE: case Opcodes.IF_ICMPLT: case Opcodes.IF_ICMPGE:
                case Opcodes.IF_ICMPGT: case Opcodes.IF_ICMPLE: case Opcodes.IF_ACMPEQ: case Opcodes.IF_ACMPNE:
                    pop(2);
                    break;
                default: // one-operand ifs
                    pop();
            }
        }
        super.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitLdcInsn(Object value) {
        if (known) {
            boolean wide = value instanceof Long || value instanceof Double
                    || (value instanceof org.objectweb.asm.ConstantDynamic
                    && ((org.objectweb.asm.ConstantDynamic) value).getSize() == 2);
            push(wide ? 2 : 1);
        }
        super.visitLdcInsn(value);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        unknown();
        super.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        unknown();
        super.visitLookupSwitchInsn(dflt, keys, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int dimensions) {
        if (known) {
            pop(dimensions);
            push(1);
        }
        super.visitMultiANewArrayInsn(descriptor, dimensions);
    }
}
