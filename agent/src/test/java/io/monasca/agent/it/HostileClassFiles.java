package io.monasca.agent.it;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Class files no compiler of today writes, but the JVM loads: written with ASM (frames computed by ASM for the
 * Java 8 copy, none in the older ones), each class implementing
 * {@code hostile.Marker} so that one target ({@code hostile.Marker[*]}) names all their methods. Every method is
 * {@code public static int name(int)}, so one runner calls them all. Old class files (Java 1.1 to 6) have no stack
 * map frames; some methods leave values under their result after a branch, use subroutines, or sit at the
 * class-file limits, where the weaver must leave them as they are.
 */
final class HostileClassFiles {
    static final String PACKAGE = "hostile";
    /** Methods that cannot be woven within the class-file limits: the agent must leave them as they are. */
    static final List<String> UNWEAVABLE = List.of("hostile.AtTheLimits.manyLocals", "hostile.AtTheLimits.deepStack",
            "hostile.AtTheLimits.longCode");

    private HostileClassFiles() {
    }

    /**
     * Writes the classes under {@code dir}, and javac's output of the shapes in test resources {@code javac-shapes/}
     * for each release the JDK at {@code runtime} runs (8 and 17 by the build's own javac, 25 by the runtime's when
     * it is 25 or newer); returns their binary names.
     */
    static List<String> write(Path dir, Path runtime) throws Exception {
        List<String> names = new java.util.ArrayList<>(write(dir));
        String[][] builds = {{"8", "Shapes8"}, {"17", "Shapes8"}, {"17", "Shapes17"}, {"25", "Shapes8"},
                {"25", "Shapes17"}, {"25", "Shapes25"}};
        int feature = runtimeFeature(runtime);
        Map<String, List<Path>> sourcesByRelease = new LinkedHashMap<>();
        for (String[] build : builds) {
            if (Integer.parseInt(build[0]) > feature) {
                continue;
            }
            String name = "Javac" + build[0] + build[1];
            String source = new String(HostileClassFiles.class.getResourceAsStream("/javac-shapes/" + build[1]
                    + ".java.txt").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).replace("CLASSNAME", name);
            Path src = Files.createDirectories(dir.resolve("src")).resolve(name + ".java");
            Files.writeString(src, source);
            sourcesByRelease.computeIfAbsent(build[0], r -> new java.util.ArrayList<>()).add(src);
            names.add(PACKAGE + "." + name);
        }
        for (Map.Entry<String, List<Path>> e : sourcesByRelease.entrySet()) {
            javac(Integer.parseInt(e.getKey()) > Runtime.version().feature() ? runtime : null, e.getKey(), dir,
                    e.getValue());
        }
        return names;
    }

    /** Compiles for {@code release}: in this JVM when it can ({@code jdk} null), else with that JDK's javac. */
    private static void javac(Path jdk, String release, Path dir, List<Path> sources) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--release", release, "-cp", dir.toString(), "-d",
                dir.toString()));
        sources.forEach(s -> args.add(s.toString()));
        if (jdk == null) {
            java.io.StringWriter out = new java.io.StringWriter();
            boolean ok = javax.tools.ToolProvider.getSystemJavaCompiler().getTask(out, null, null, args.subList(0, 6),
                    null, javax.tools.ToolProvider.getSystemJavaCompiler().getStandardFileManager(null, null, null)
                            .getJavaFileObjectsFromPaths(sources)).call();
            if (!ok) {
                throw new IllegalStateException("javac --release " + release + ": " + out);
            }
            return;
        }
        args.add(0, jdk.resolve("bin/javac").toString());
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("javac --release " + release + ": " + out);
        }
    }

    /** The Java feature release of the JDK at {@code home}, from its {@code release} file. */
    private static int runtimeFeature(Path home) throws IOException {
        for (String line : Files.readAllLines(home.resolve("release"))) {
            if (line.startsWith("JAVA_VERSION=")) {
                String v = line.substring(line.indexOf('"') + 1, line.lastIndexOf('"'));
                return Integer.parseInt(v.split("[.+-]")[0]);
            }
        }
        throw new IllegalStateException("no JAVA_VERSION in " + home.resolve("release"));
    }

    /** Writes the ASM-made classes under {@code dir}; returns their binary names. */
    static List<String> write(Path dir) throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        classes.put("Marker", marker());
        classes.put("Java11Leftovers", type(Opcodes.V1_1, "Java11Leftovers", 0, HostileClassFiles::leftoverMethods));
        classes.put("Java5Leftovers", type(Opcodes.V1_5, "Java5Leftovers", 0, HostileClassFiles::leftoverMethods));
        classes.put("Java6NoFrames", type(Opcodes.V1_6, "Java6NoFrames", 0, HostileClassFiles::leftoverMethods));
        classes.put("Java8Leftovers", type(Opcodes.V1_8, "Java8Leftovers", ClassWriter.COMPUTE_FRAMES,
                HostileClassFiles::leftoverMethods));
        classes.put("Java5Subroutines", type(Opcodes.V1_5, "Java5Subroutines", 0, HostileClassFiles::subroutines));
        classes.put("AtTheLimits", type(Opcodes.V1_8, "AtTheLimits", 0, HostileClassFiles::limits));
        Path pkg = Files.createDirectories(dir.resolve(PACKAGE));
        for (Map.Entry<String, byte[]> e : classes.entrySet()) {
            Files.write(pkg.resolve(e.getKey() + ".class"), e.getValue());
        }
        return classes.keySet().stream().filter(n -> !n.equals("Marker")).map(n -> PACKAGE + "." + n).toList();
    }

    private static byte[] marker() {
        ClassWriter w = new ClassWriter(0);
        w.visit(Opcodes.V1_5, Opcodes.ACC_PUBLIC | Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT, PACKAGE + "/Marker",
                null, "java/lang/Object", null);
        w.visitEnd();
        return w.toByteArray();
    }

    private static byte[] type(int version, String name, int flags, Consumer<ClassWriter> methods) {
        ClassWriter w = new ClassWriter(flags);
        w.visit(version, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, PACKAGE + "/" + name, null, "java/lang/Object",
                new String[]{PACKAGE + "/Marker"});
        methods.accept(w);
        w.visitEnd();
        return w.toByteArray();
    }

    private static MethodVisitor method(ClassWriter w, String name) {
        MethodVisitor m = w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, name, "(I)I", null, null);
        m.visitCode();
        return m;
    }

    private static void end(MethodVisitor m, int maxStack, int maxLocals) {
        m.visitMaxs(maxStack, maxLocals);
        m.visitEnd();
    }

    /** Values left under the result, on paths that meet after a branch, a goto, a switch and a loop. */
    private static void leftoverMethods(ClassWriter w) {
        // the smallest case: iload_0; ifeq L1; bipush 77; iload_0; ireturn; L1: bipush 66; bipush 55; iconst_m1; ireturn
        MethodVisitor m = method(w, "junkAfterBranch");
        Label l1 = new Label();
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitJumpInsn(Opcodes.IFEQ, l1);
        m.visitIntInsn(Opcodes.BIPUSH, 77);
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitInsn(Opcodes.IRETURN);
        m.visitLabel(l1);
        m.visitIntInsn(Opcodes.BIPUSH, 66);
        m.visitIntInsn(Opcodes.BIPUSH, 55);
        m.visitInsn(Opcodes.ICONST_M1);
        m.visitInsn(Opcodes.IRETURN);
        end(m, 3, 1);

        // a long under an int result where two paths meet after a goto
        m = method(w, "longUnderIntAfterGoto");
        Label other = new Label();
        Label join = new Label();
        m.visitLdcInsn(7L);
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitJumpInsn(Opcodes.IFEQ, other);
        m.visitIntInsn(Opcodes.BIPUSH, 9);
        m.visitJumpInsn(Opcodes.GOTO, join);
        m.visitLabel(other);
        m.visitIntInsn(Opcodes.BIPUSH, 8);
        m.visitLabel(join);
        m.visitInsn(Opcodes.IRETURN);
        end(m, 3, 1);

        // a switch whose cases return with a value left under the result
        m = method(w, "switchWithJunk");
        Label c0 = new Label();
        Label c1 = new Label();
        Label dflt = new Label();
        m.visitInsn(Opcodes.DCONST_1);
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitTableSwitchInsn(0, 1, dflt, c0, c1);
        m.visitLabel(c0);
        m.visitIntInsn(Opcodes.BIPUSH, 10);
        m.visitInsn(Opcodes.IRETURN);
        m.visitLabel(c1);
        m.visitIntInsn(Opcodes.BIPUSH, 11);
        m.visitInsn(Opcodes.IRETURN);
        m.visitLabel(dflt);
        m.visitInsn(Opcodes.ICONST_M1);
        m.visitInsn(Opcodes.IRETURN);
        end(m, 3, 1);

        // a loop entered by a goto (its body comes before its test), returning from inside with junk under the result
        m = method(w, "returnFromLoop");
        Label body = new Label();
        Label test = new Label();
        Label stay = new Label();
        m.visitJumpInsn(Opcodes.GOTO, test);
        m.visitLabel(body);
        m.visitIincInsn(0, -1);
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitInsn(Opcodes.ICONST_3);
        m.visitJumpInsn(Opcodes.IF_ICMPNE, stay);
        m.visitInsn(Opcodes.ACONST_NULL);
        m.visitIntInsn(Opcodes.BIPUSH, 33);
        m.visitInsn(Opcodes.IRETURN);
        m.visitLabel(stay);
        m.visitLabel(test);
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitJumpInsn(Opcodes.IFGT, body);
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitInsn(Opcodes.IRETURN);
        end(m, 2, 1);

        // an uninitialized object on the stack across a branch: new StringBuilder(arg == 0 ? "a" : "bc").length()
        m = method(w, "uninitializedAcrossBranch");
        Label b = new Label();
        Label made = new Label();
        m.visitTypeInsn(Opcodes.NEW, "java/lang/StringBuilder");
        m.visitInsn(Opcodes.DUP);
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitJumpInsn(Opcodes.IFNE, b);
        m.visitLdcInsn("a");
        m.visitJumpInsn(Opcodes.GOTO, made);
        m.visitLabel(b);
        m.visitLdcInsn("bc");
        m.visitLabel(made);
        m.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/StringBuilder", "<init>", "(Ljava/lang/String;)V", false);
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/StringBuilder", "length", "()I", false);
        m.visitInsn(Opcodes.IRETURN);
        end(m, 3, 1);

        // throws for one argument: the woven code must rethrow it unchanged
        m = method(w, "throwsOnTwo");
        Label fine = new Label();
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitInsn(Opcodes.ICONST_2);
        m.visitJumpInsn(Opcodes.IF_ICMPNE, fine);
        m.visitTypeInsn(Opcodes.NEW, "java/lang/IllegalStateException");
        m.visitInsn(Opcodes.DUP);
        m.visitLdcInsn("two");
        m.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/IllegalStateException", "<init>", "(Ljava/lang/String;)V",
                false);
        m.visitInsn(Opcodes.ATHROW);
        m.visitLabel(fine);
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitInsn(Opcodes.IRETURN);
        end(m, 3, 1);
    }

    /** Java 1.2-6 subroutines (JSR/RET), one returning from inside the subroutine. */
    private static void subroutines(ClassWriter w) {
        // jsr SUB; iload_0; ireturn; SUB: astore_1; iinc 0 5; ret 1
        MethodVisitor m = method(w, "callsSubroutine");
        Label sub = new Label();
        m.visitJumpInsn(Opcodes.JSR, sub);
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitInsn(Opcodes.IRETURN);
        m.visitLabel(sub);
        m.visitVarInsn(Opcodes.ASTORE, 1);
        m.visitIincInsn(0, 5);
        m.visitVarInsn(Opcodes.RET, 1);
        end(m, 1, 2);

        // the subroutine itself returns from the method for arguments above 1, with junk under the result
        m = method(w, "returnsInsideSubroutine");
        sub = new Label();
        Label back = new Label();
        m.visitJumpInsn(Opcodes.JSR, sub);
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitInsn(Opcodes.INEG);
        m.visitInsn(Opcodes.IRETURN);
        m.visitLabel(sub);
        m.visitVarInsn(Opcodes.ASTORE, 1);
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitInsn(Opcodes.ICONST_1);
        m.visitJumpInsn(Opcodes.IF_ICMPLE, back);
        m.visitInsn(Opcodes.LCONST_0);
        m.visitIntInsn(Opcodes.BIPUSH, 44);
        m.visitInsn(Opcodes.IRETURN);
        m.visitLabel(back);
        m.visitVarInsn(Opcodes.RET, 1);
        end(m, 3, 2);
    }

    /** Methods at the class-file limits: 65,535 locals, an operand stack of 65,535, code just under 64 KiB. */
    private static void limits(ClassWriter w) {
        // static int manyLocals(int){ iload_0; istore 65534; iload 65534; iconst_1; iadd; ireturn }, max_locals 65535
        MethodVisitor m = method(w, "manyLocals");
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitVarInsn(Opcodes.ISTORE, 65534);
        m.visitVarInsn(Opcodes.ILOAD, 65534);
        m.visitInsn(Opcodes.ICONST_1);
        m.visitInsn(Opcodes.IADD);
        m.visitInsn(Opcodes.IRETURN);
        end(m, 2, 65535);

        m = method(w, "deepStack"); // declares the largest operand stack a method may have
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitInsn(Opcodes.IRETURN);
        end(m, 65535, 1);

        m = method(w, "longCode"); // 65,519 bytes of straight-line code: no room for the timing's
        for (int i = 0; i < 21_839; i++) {
            m.visitIincInsn(0, 1);
        }
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitInsn(Opcodes.IRETURN);
        end(m, 1, 1);

        m = method(w, "nearTheLimits"); // 65,531 locals and a stack of 65,530: the timing still fits
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitVarInsn(Opcodes.ISTORE, 65530);
        m.visitVarInsn(Opcodes.ILOAD, 65530);
        m.visitInsn(Opcodes.IRETURN);
        end(m, 65530, 65531);
    }
}
