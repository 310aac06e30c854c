package io.monasca.testapp;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * A second agent, for tests: whenever the class named by its argument is retransformed, it adds a field, which the
 * JVM refuses (a retransformation may not change a class's shape). It stands for anything that makes the JVM reject
 * a class the monasca agent wove: the agent must then not claim that class's methods as timed.
 */
public final class SchemaBreaker {
    private SchemaBreaker() {
    }

    public static void premain(String className, Instrumentation instrumentation) {
        String target = className.replace('.', '/');
        instrumentation.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                                    byte[] bytes) {
                if (redefined == null || !target.equals(name)) {
                    return null;
                }
                ClassReader reader = new ClassReader(bytes);
                ClassWriter writer = new ClassWriter(reader, 0);
                reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                    @Override
                    public void visitEnd() {
                        visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC, "addedOnRetransform", "I", null, null)
                                .visitEnd();
                        super.visitEnd();
                    }
                }, 0);
                return writer.toByteArray();
            }
        }, true);
    }
}
