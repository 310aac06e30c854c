package io.monasca.agent.export;

import io.monasca.agent.config.AgentSettings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExportFormatTest {
    @Test
    void monascaFormatWritesAPythonDict() {
        String line = new LineFormatter(AgentSettings.Format.MONASCA)
                .format(Series.counter("monasca.persister.upsert.received", 3, orderedDims()));
        assertEquals("monasca.persister.upsert.received:3|c|#{'service': 'monitoring', 'component': "
                + "'monasca-persister', 'thread': 'metric-1'}", line);
    }

    @Test
    void dogstatsdFormatWritesTags() {
        String line = new LineFormatter(AgentSettings.Format.DOGSTATSD)
                .format(Series.milliseconds("p.flush.time.max", 12_345_678, orderedDims()));
        assertEquals("p.flush.time.max:12.346|g|#service:monitoring,component:monasca-persister,thread:metric-1", line);
    }

    private static Map<String, String> orderedDims() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("service", "monitoring");
        d.put("component", "monasca-persister");
        d.put("thread", "metric-1");
        return d;
    }

    @Test
    void millisecondsAreWrittenLikePythonFloats() {
        assertEquals("0.0", Milliseconds.format(0));
        // percentiles, to the picosecond, as python's str(float): exponent below 0.0001
        assertEquals("0.0", Milliseconds.formatPicos(0));
        assertEquals("1.0", Milliseconds.formatPicos(1_000_000_000));
        assertEquals("12.3456789", Milliseconds.formatPicos(12_345_678_900L));
        assertEquals("3660000.00000001", Milliseconds.formatPicos(3_660_000_000_000_006L)); // 15 significant digits
        assertEquals("8796093.02220813", Milliseconds.formatPicos(8_796_093_022_208_125L));
        assertEquals("0.0001", Milliseconds.formatPicos(100_000));
        assertEquals("9.9999e-05", Milliseconds.formatPicos(99_999));
        assertEquals("4.5e-05", Milliseconds.formatPicos(45_000));
        assertEquals("1e-09", Milliseconds.formatPicos(1));
        assertEquals("1.234e-06", Milliseconds.formatPicos(1_234));
        assertEquals("0.001", Milliseconds.format(1_000));
        assertEquals("0.001", Milliseconds.format(500));
        assertEquals("5.0", Milliseconds.format(5_000_000));
        assertEquals("12.5", Milliseconds.format(12_500_000));
        assertEquals("1.05", Milliseconds.format(1_050_000));
        assertEquals("1.005", Milliseconds.format(1_004_500));
        assertEquals("0.0", Milliseconds.format(-5));
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 10_000; i++) { // the same as Python's str() of the rounded value, as BigDecimal writes it
            long nanos = i < 5000 ? random.nextInt(5_000_000) : Math.abs(random.nextLong() % 100_000_000_000L);
            String expected = java.math.BigDecimal.valueOf(nanos).divide(java.math.BigDecimal.valueOf(1_000_000), 3,
                    java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
            assertEquals(expected.indexOf('.') < 0 ? expected + ".0" : expected, Milliseconds.format(nanos), "nanos " + nanos);
        }
        assertEquals("123456789.0", Milliseconds.format(123_456_789_000_000L));
    }

    @Test
    void unsafeTextIsSanitized() {
        assertEquals("a_b_c_d_e", WireText.metricName("a b:c|d#e"));
        assertEquals("pool-1 _thread_ 2_", WireText.dimensionValue("pool-1 'thread' 2\n"));
        assertEquals("xkey", WireText.dimensionKey("_key"));
        assertEquals("unknown", WireText.dimensionValue(""));
        assertEquals(255, WireText.dimensionValue("x".repeat(300)).length());
        assertEquals("a_b_c_d_e_f_g_h", WireText.dimensionValue("a>b<c=d{e}f,g\"h"));
    }

    @Test
    void linesArePackedWithinTheDatagramSize() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            lines.add("metric.number." + i + ":" + i + "|c|#{'service': 'monitoring'}");
        }
        DatagramPacker packer = new DatagramPacker(512);
        List<byte[]> payloads = packer.pack(lines);
        List<String> unpacked = new ArrayList<>();
        for (byte[] p : payloads) {
            assertTrue(p.length <= 512, "payload of " + p.length + " bytes");
            unpacked.addAll(List.of(new String(p, StandardCharsets.UTF_8).split("\n")));
        }
        assertEquals(lines, unpacked);
        assertTrue(payloads.size() > 1);
    }

    @Test
    void aLineLongerThanADatagramIsDroppedAndCounted() {
        DatagramPacker packer = new DatagramPacker(512);
        List<byte[]> payloads = packer.pack(List.of("a:1|c", "b".repeat(600) + ":1|c", "c:1|c"));
        assertEquals(1, payloads.size());
        assertEquals("a:1|c\nc:1|c", new String(payloads.get(0), StandardCharsets.UTF_8));
        assertEquals(1, packer.droppedLines());
    }
}
