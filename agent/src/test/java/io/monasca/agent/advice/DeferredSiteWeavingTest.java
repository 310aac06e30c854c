package io.monasca.agent.advice;

import io.monasca.agent.recording.CellReading;
import io.monasca.agent.recording.DeferredSites;
import io.monasca.agent.recording.Recorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Methods woven as deferred sites, loaded (so verified) in a throwaway loader: the entry hands the recorder the
 * site and the class itself; a site decided as an operation is timed as it from its first call, one decided as no
 * operation never is, and results are unchanged either way; in a class file with stack map frames and in a Java 5
 * one without (the first version whose code can name its own class).
 */
class DeferredSiteWeavingTest {
    private static final int OP = 7;
    private static final Map<Integer, String> SITES = new HashMap<>();
    private static final List<Class<?>> OWNERS = new ArrayList<>();

    public static class Sample {
        public int count(int n) {
            return n;
        }

        public String text() {
            return "same";
        }

        public static long twice(long n) {
            return 2 * n;
        }
    }

    @BeforeAll
    static void start() {
        Recorder.start(OP + 1);
        DeferredSites.start(new DeferredSites.Resolver() {
            @Override
            public int operationFor(int site, Class<?> owner) {
                OWNERS.add(owner);
                return SITES.get(site).equals("text") ? DeferredSites.NOT_TIMED : OP;
            }

            @Override
            public void decided(int site, Class<?> owner, int operation) {
            }
        });
    }

    @AfterAll
    static void stop() {
        DeferredSites.start(null);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, Opcodes.V1_5})
    void decidedAtTheFirstCallFromTheClassItself(int version) throws Exception {
        OWNERS.clear();
        byte[] classFile = WovenLoader.classFile(Sample.class);
        if (version != 0) {
            classFile = withVersion(classFile, version);
        }
        TimingWeaver.Result r = TimingWeaver.weave(classFile, new TimingWeaver.Selector() {
            @Override
            public int operationFor(String name, String descriptor, int access) {
                return DEFERRED;
            }

            @Override
            public boolean isCollection(String internalName) {
                return false;
            }

            @Override
            public int deferredSite(String name, String descriptor, ReturnKind kind) {
                int site = DeferredSites.add();
                SITES.put(site, name);
                return site;
            }
        });
        assertNotNull(r);
        assertEquals(List.of(TimingWeaver.Selector.DEFERRED, TimingWeaver.Selector.DEFERRED,
                TimingWeaver.Selector.DEFERRED),
                r.methods.stream().map(m -> m.operation).toList());
        String name = Sample.class.getName();
        Class<?> woven = new WovenLoader().with(name, r.bytes).loadClass(name);
        Object sample = woven.getConstructor().newInstance();
        Recorder.closeInterval();
        for (int i = 0; i < 3; i++) {
            assertEquals(i, woven.getMethod("count", int.class).invoke(sample, i));
            assertEquals("same", woven.getMethod("text").invoke(sample));
            assertEquals(2L * i, woven.getMethod("twice", long.class).invoke(null, (long) i));
        }
        CellReading reading = Recorder.closeInterval().stream().filter(x -> x.operation == OP).findFirst().orElseThrow();
        assertEquals(6, reading.completed); // count and twice, three times each; text never
        assertEquals(3, OWNERS.size()); // each site asked once
        for (Class<?> owner : OWNERS) {
            assertSame(woven, owner);
        }
    }

    /** The class file as an older compiler would have written it: that version, no stack map frames. */
    private static byte[] withVersion(byte[] classFile, int version) {
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int v, int access, String name, String signature, String superName, String[] interfaces) {
                super.visit(version, access, name, signature, superName, interfaces);
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }
}
