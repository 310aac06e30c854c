package io.monasca.testkit.statsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Checks the Java rendering of Python's str(float) and repr(str) against Debian's real Python. */
class PythonReprTest {

    @Test
    void knownFloats() {
        assertEquals("1.0", PythonRepr.floatStr(1));
        assertEquals("0.1", PythonRepr.floatStr(0.1));
        assertEquals("1e-05", PythonRepr.floatStr(0.00001));
        assertEquals("0.0001", PythonRepr.floatStr(0.0001));
        assertEquals("1e+16", PythonRepr.floatStr(1e16));
        assertEquals("1234567890123456.0", PythonRepr.floatStr(1234567890123456.0));
        assertEquals("-0.0", PythonRepr.floatStr(-0.0));
        assertEquals("nan", PythonRepr.floatStr(Double.NaN));
        assertEquals("-inf", PythonRepr.floatStr(Double.NEGATIVE_INFINITY));
        assertEquals("5e-324", PythonRepr.floatStr(Double.MIN_VALUE));
    }

    @Test
    void floatsMatchRealPython() throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            values.add(Double.longBitsToDouble(random.nextLong()));           // any bit pattern
            values.add(random.nextDouble() * Math.pow(10, random.nextInt(-8, 20)));
            values.add((double) random.nextInt(0, 100_000) / 1000);           // timer-like milliseconds
        }
        for (int e = -1074; e <= 1023; e += 7) {
            values.add(Math.scalb(1.0, e));                                   // lopsided round-trip intervals
        }
        StringBuilder input = new StringBuilder();
        values.forEach(v -> input.append(Double.toHexString(v)).append('\n'));
        List<String> expected = python("import sys\nfor l in sys.stdin.read().split():\n"
                + "    print(str(float.fromhex(l)))\n", input.toString());
        for (int i = 0; i < values.size(); i++) {
            assertEquals(expected.get(i), PythonRepr.floatStr(values.get(i)), "str(" + values.get(i) + ")");
        }
    }

    @Test
    void stringsAndDictsMatchRealPython() throws Exception {
        Map<String, String> dict = new LinkedHashMap<>();
        dict.put("plain", "monitoring");
        dict.put("it's", "say \"hi\"");
        dict.put("both'\"", "back\\slash");
        dict.put("ctl", "\t\n\r\u0000\u001f\u007f\u0085\u00a0");
        dict.put("uni", "h\u00e9llo \u2028 \u200b \ud83d\ude00 \u4e2d \ue000 \u0378");
        StringBuilder input = new StringBuilder();
        dict.forEach((k, v) -> input.append(hex(k)).append(' ').append(hex(v)).append('\n'));
        List<String> expected = python("import sys\nd = {}\nfor l in sys.stdin.read().splitlines():\n"
                + "    k, v = l.split(' ')\n    d[bytes.fromhex(k).decode()] = bytes.fromhex(v).decode()\n"
                + "sys.stdout.buffer.write(str(d).encode('utf-8'))\n", input.toString());
        assertEquals(expected.get(0), PythonRepr.dictRepr(dict));
        assertEquals("{}", PythonRepr.dictRepr(Map.of()));
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Runs a script with Debian's Python, feeding {@code stdin}; returns its output lines. */
    static List<String> python(String script, String stdin) throws Exception {
        String interpreter = MonascaStatsdOracle.interpreter().toString();
        Process p = new ProcessBuilder(interpreter, "-I", "-c", script).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python finished");
        assertEquals(0, p.exitValue(), "python output: " + out);
        return List.of(out.split("\n"));
    }
}
