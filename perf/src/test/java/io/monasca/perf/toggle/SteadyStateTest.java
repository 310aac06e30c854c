package io.monasca.perf.toggle;

import io.monasca.perf.cpu.ProcessCpu;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SteadyStateTest {
    /** Pairs of windows (off, on) of 100,000 messages: CPU per message and the JIT's share of it, per window. */
    private static List<Window> pairs(double[] micros, double jitShare) {
        List<Window> windows = new ArrayList<>();
        for (int i = 0; i < micros.length; i++) {
            Window w = new Window();
            w.phase = Window.Phase.WARMUP;
            w.mode = i % 2 == 0 ? "off" : "on";
            w.received = 100_000;
            long app = Math.round(micros[i] * 100_000 * 1000);
            w.cpu = new ProcessCpu.Span(app, new long[]{Math.round(jitShare * app), 0, app}, new boolean[3], true, 0);
            windows.add(w);
        }
        return windows;
    }

    @Test
    void aPersisterStillGettingFasterIsNotSteady() {
        // off windows 6.0, 5.4, 4.9: -18 %, while off and on within a pair differ by about 1 to 3 %
        SteadyState.Check check = SteadyState.check(pairs(new double[]{6.0, 6.1, 5.4, 5.5, 4.9, 5.05}, 0.01), 3);
        assertFalse(check.steady(), check.figures());
        assertTrue(check.figures().contains("NOT FLAT"), check.figures());
    }

    @Test
    void flatWithinTheNoiseOfItsOwnPairsAndAQuietJitIsSteady() {
        // on vs off differ by -5.7, +4.2, -4.8 % (sd 5.5 %); the off windows move +1 %: less than that noise
        SteadyState.Check check = SteadyState.check(pairs(new double[]{9, 4.5, 4.77, 4.6, 4.416, 4.59, 4.819}, 0.02)
                .subList(1, 7), 3);
        assertTrue(check.steady(), check.figures());
    }

    @Test
    void aCompilingJitIsNotSteadyEvenWhenFlat() {
        SteadyState.Check check = SteadyState.check(pairs(new double[]{4.5, 4.55, 4.5, 4.55, 4.5, 4.55}, 0.10), 3);
        assertFalse(check.steady(), check.figures());
        assertTrue(check.figures().contains("NOT QUIET") && !check.figures().contains("NOT FLAT"), check.figures());
        assertFalse(SteadyState.check(pairs(new double[]{4.5, 4.55}, 0), 3).steady(), "too few pairs");
    }
}
