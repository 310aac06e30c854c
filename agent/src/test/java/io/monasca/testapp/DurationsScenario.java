package io.monasca.testapp;

import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;

/**
 * Calls each method of {@link Durations} with durations drawn from its distribution, and prints for every call
 * {@code DURATION <operation> <inner> <outer>}: the time the method measured inside itself and the time measured
 * here around the call. The agent's own measurement lies between the two.
 */
final class DurationsScenario {
    private DurationsScenario() {
    }

    static void run(int calls) {
        Durations d = new Durations();
        SplittableRandom random = new SplittableRandom(19);
        call("constant", calls, n -> d.constant(n), r -> 2_000_000, random);
        call("bimodal", calls, n -> d.bimodal(n), r -> r.nextInt(10) == 0 ? 20_000_000 : 1_000_000, random);
        call("uniform", calls, n -> d.uniform(n), r -> 1_000_000 + r.nextLong(9_000_001), random);
        call("lognormal", calls, n -> d.lognormal(n),
                r -> Math.min(50_000_000, (long) (1_000_000 * Math.exp(0.8 * r.nextGaussian()))), random);
        call("single", 1, n -> d.single(n), r -> 3_000_000, random);
    }

    interface Draw {
        long next(SplittableRandom random);
    }

    private static void call(String operation, int calls, LongUnaryOperator method, Draw draw,
                             SplittableRandom random) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < calls; i++) {
            long nanos = draw.next(random);
            long start = System.nanoTime();
            long inner = method.applyAsLong(nanos);
            long outer = System.nanoTime() - start;
            TestApp.check(inner >= nanos && outer >= inner, "durations as asked");
            out.append("DURATION ").append(operation).append(' ').append(inner).append(' ').append(outer).append('\n');
        }
        System.out.print(out);
        TestApp.expect(operation + ".completed", calls);
    }
}
