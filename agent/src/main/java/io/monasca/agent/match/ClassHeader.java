package io.monasca.agent.match;

import io.monasca.agent.advice.TimingWeaver;

import java.util.Collection;

/**
 * Reads what matching needs straight from class-file bytes, without a type description: the super class and
 * interface names, and whether the class declares a method with one of a few names. {@link #parse} is for the one
 * look at every class the JVM loads: it allocates only the names it returns, keeping the constant-pool offsets in a
 * per-thread scratch array, so its result is valid only until the next {@code parse} on the thread.
 * {@link #parseOwned} is for the rare deeper looks (supertypes of a candidate). Malformed bytes throw a runtime
 * exception (the JVM rejects such a class anyway).
 */
final class ClassHeader {
    private static final ThreadLocal<int[]> SCRATCH = new ThreadLocal<int[]>() {
        @Override
        protected int[] initialValue() {
            return new int[1024];
        }
    };

    private final byte[] bytes;
    /** Offset of each constant-pool entry's tag, by index. */
    private final int[] pool;
    /** Offset of access_flags, right after the constant pool. */
    private final int afterPool;
    /** Whether a Utf8 constant equals one of the names asked about while parsing: else no method has that name. */
    private final boolean mentionsName;

    private ClassHeader(byte[] bytes, int[] pool, int afterPool, boolean mentionsName) {
        this.bytes = bytes;
        this.pool = pool;
        this.afterPool = afterPool;
        this.mentionsName = mentionsName;
    }

    /**
     * The method names matching asks about, encoded once as they appear in class files (modified UTF-8), with a bit
     * per length ({@code length % 64}) so that the walk compares only entries of a length one of them has.
     */
    static final class Names {
        private final byte[][] encoded;
        /** Bit {@code n % 64} for each name of {@code n} bytes: a superset test, cheap enough for every entry. */
        final long lengthBits;

        Names(Collection<String> names) {
            encoded = new byte[names.size()][];
            long bits = 0;
            int i = 0;
            for (String name : names) {
                encoded[i] = encode(name);
                bits |= 1L << encoded[i].length;
                i++;
            }
            lengthBits = bits;
        }

        /** Whether the {@code length} bytes at {@code at} are one of the names. */
        boolean contain(byte[] bytes, int at, int length) {
            for (byte[] name : encoded) {
                if (name.length == length && equal(bytes, at, name)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code names}: method names {@link #declaresMethodNamed} will be asked about (or null). */
    static ClassHeader parse(byte[] bytes, Names names) {
        int count = constantPoolCount(bytes);
        int[] pool = SCRATCH.get();
        if (pool.length < count) {
            pool = new int[Math.max(count, pool.length * 2)];
            SCRATCH.set(pool);
        }
        return parse(bytes, pool, count, names);
    }

    static ClassHeader parseOwned(byte[] bytes) {
        int count = constantPoolCount(bytes);
        return parse(bytes, new int[count], count, null);
    }

    private static int constantPoolCount(byte[] bytes) {
        if (bytes.length < 10 || u4(bytes, 0) != 0xCAFEBABE) {
            throw new IllegalArgumentException("not a class file");
        }
        return u2(bytes, 8);
    }

    /**
     * The walk over the constant pool: the one loop every class loaded goes through, kept lean, also for the
     * interpreter, which runs it for the JVM's first few hundred classes: one {@code tableswitch} per entry, and a
     * Utf8 entry is compared with the names only when its length is one of theirs.
     */
    private static ClassHeader parse(byte[] bytes, int[] pool, int count, Names names) {
        long lengths = names == null ? 0 : names.lengthBits;
        boolean mentions = names == null;
        int at = 10;
        for (int i = 1; i < count; i++) {
            pool[i] = at;
            switch (bytes[at]) {
                case 1: // Utf8
                    int length = ((bytes[at + 1] & 0xFF) << 8) | (bytes[at + 2] & 0xFF);
                    if (!mentions && (lengths & (1L << length)) != 0) { // the shift takes length % 64
                        mentions = names.contain(bytes, at + 3, length);
                    }
                    at += 3 + length;
                    break;
                case 7: case 8: case 16: case 19: case 20: // Class, String, MethodType, Module, Package: one index
                    at += 3;
                    break;
                case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18: // a 4-byte body
                    at += 5;
                    break;
                case 5: case 6: // Long, Double: 8 bytes, and two slots
                    at += 9;
                    i++;
                    break;
                case 15: // MethodHandle
                    at += 4;
                    break;
                default:
                    throw new IllegalArgumentException("unknown constant-pool tag " + bytes[at]);
            }
        }
        return new ClassHeader(bytes, pool, at, mentions);
    }

    /**
     * Internal names of the super class (none for {@code java/lang/Object}) and the interfaces. Read them before
     * parsing another class on this thread: the scratch array is shared.
     */
    String[] supertypes() {
        String superName = className(u2(bytes, afterPool + 4));
        int interfaces = interfaceCount();
        String[] names = new String[(superName == null ? 0 : 1) + interfaces];
        int n = 0;
        if (superName != null) {
            names[n++] = superName;
        }
        for (int i = 0; i < interfaces; i++) {
            names[n++] = className(u2(bytes, afterPool + 8 + 2 * i));
        }
        return names;
    }

    private int interfaceCount() {
        return u2(bytes, afterPool + 6);
    }

    /** Whether one of the methods the class declares is named one of {@code names}. */
    boolean declaresMethodNamed(Names names) {
        if (!mentionsName) {
            return false;
        }
        int at = methodsStart();
        int methods = u2(bytes, at);
        at += 2;
        for (int m = 0; m < methods; m++) {
            int name = pool[u2(bytes, at + 2)];
            if (names.contain(bytes, name + 3, u2(bytes, name + 1))) {
                return true;
            }
            at = skipAttributes(at + 6);
        }
        return false;
    }

    boolean isInterface() {
        return (u2(bytes, afterPool) & 0x0200) != 0;
    }

    /** Whether the class declares a method the agent could time named {@code name}. */
    boolean declaresTimeable(String name) {
        int at = methodsStart();
        int methods = u2(bytes, at);
        at += 2;
        for (int m = 0; m < methods; m++) {
            String method = utf8(u2(bytes, at + 2));
            if (method.equals(name) && TimingWeaver.isTimeable(method, u2(bytes, at))) {
                return true;
            }
            at = skipAttributes(at + 6);
        }
        return false;
    }

    /** Whether the class declares any method besides constructors and its static initializer. */
    boolean declaresMethods() {
        int at = methodsStart();
        int methods = u2(bytes, at);
        at += 2;
        for (int m = 0; m < methods; m++) {
            String method = utf8(u2(bytes, at + 2));
            if (!method.equals("<init>") && !method.equals("<clinit>")) {
                return true;
            }
            at = skipAttributes(at + 6);
        }
        return false;
    }

    private int methodsStart() {
        return skipMembers(afterPool + 8 + 2 * interfaceCount());
    }

    private String utf8(int index) {
        int at = pool[index];
        return decode(bytes, at + 3, u2(bytes, at + 1));
    }

    private int skipMembers(int at) {
        int count = u2(bytes, at);
        at += 2;
        for (int i = 0; i < count; i++) {
            at = skipAttributes(at + 6);
        }
        return at;
    }

    /** {@code at}: an attributes_count. Returns the offset after the attributes. */
    private int skipAttributes(int at) {
        int count = u2(bytes, at);
        at += 2;
        for (int i = 0; i < count; i++) {
            at += 6 + u4(bytes, at + 2);
        }
        return at;
    }

    private static boolean equal(byte[] bytes, int at, byte[] candidate) {
        for (int i = 0; i < candidate.length; i++) {
            if (bytes[at + i] != candidate[i]) {
                return false;
            }
        }
        return true;
    }

    private String className(int classIndex) {
        return classIndex == 0 ? null : utf8(u2(bytes, pool[classIndex] + 1));
    }

    /** Modified UTF-8 (class-file strings): ASCII fast path; surrogate pairs come out as the two chars they are. */
    static String decode(byte[] b, int from, int length) {
        char[] chars = new char[length];
        int n = 0;
        int end = from + length;
        for (int i = from; i < end; ) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                chars[n++] = (char) c;
                i++;
            } else if ((c & 0xE0) == 0xC0) {
                chars[n++] = (char) (((c & 0x1F) << 6) | (b[i + 1] & 0x3F));
                i += 2;
            } else {
                chars[n++] = (char) (((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F));
                i += 3;
            }
        }
        return new String(chars, 0, n);
    }

    /** The inverse of {@link #decode}, for the few names matching compares against. */
    private static byte[] encode(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != 0 && c < 0x80) {
                out.write(c);
            } else if (c < 0x800) {
                out.write(0xC0 | (c >> 6));
                out.write(0x80 | (c & 0x3F));
            } else {
                out.write(0xE0 | (c >> 12));
                out.write(0x80 | ((c >> 6) & 0x3F));
                out.write(0x80 | (c & 0x3F));
            }
        }
        return out.toByteArray();
    }

    private static int u2(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static int u4(byte[] b, int at) {
        return (u2(b, at) << 16) | u2(b, at + 2);
    }
}
