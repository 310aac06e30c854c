package io.monasca.testapp;

import io.monasca.agent.control.CallCostCalibration;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * The call-cost calibration with a known cost injected into each timed call: a fixed piece of arithmetic
 * ({@link Payload}, about a microsecond) inside the timed path only. Its cost alone is measured here too, in the
 * thread's CPU time as the calibration does, and the calibration with it must come out as the calibration without
 * it plus that cost. Calls the shipped jar's {@link CallCostCalibration} directly, since an injected cost cannot
 * travel over JMX; the MBean's own figure is checked by the test over JMX. Prints a few
 * {@code COST <attempt> plain=<ns> injected=<ns> payload=<ns> clock=<ns>} lines (the machine is shared), then waits
 * as {@code wait} does.
 */
final class CallCostScenario {
    /** The agent is started with one operation ({@code op.calc}): the calibration's own is the next one. */
    private static final int CALIBRATION_OPERATION = 1;
    private static final int CALLS = 2_000;

    private CallCostScenario() {
    }

    static void run(int calcCalls) throws Exception {
        Work w = new Work();
        for (int i = 0; i < calcCalls; i++) {
            w.count(1);
        }
        System.out.println("EXPECT calc=" + calcCalls);
        Payload payload = new Payload();
        for (int i = 0; i < 20_000; i++) {
            payload.run(); // compiled before it is measured
        }
        for (int attempt = 1; attempt <= 3; attempt++) {
            double[] plain = CallCostCalibration.measure(CALIBRATION_OPERATION, CALLS, null);
            double[] injected = CallCostCalibration.measure(CALIBRATION_OPERATION, CALLS, payload);
            System.out.println(String.format(Locale.ROOT, "COST %d plain=%.1f injected=%.1f payload=%.1f clock=%.1f cpu=%.0f",
                    attempt, plain[CallCostCalibration.NANOS_PER_CALL], injected[CallCostCalibration.NANOS_PER_CALL],
                    payload.nanosPerCall(CALLS), plain[CallCostCalibration.CLOCK_PAIR_NANOS],
                    plain[CallCostCalibration.THREAD_CPU_TIME]));
        }
        TestApp.waitForStdin();
    }

    /** About a microsecond of dependent arithmetic; each call starts from the last one's result (nothing to hoist). */
    static final class Payload implements Runnable {
        private static final int STEPS = 800;
        private long state = 1;

        @Override
        public void run() {
            long x = state;
            for (int k = 0; k < STEPS; k++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            state = x;
        }

        /** Its cost per call alone, in the thread's CPU time: the median of five runs of {@code calls} calls. */
        double nanosPerCall(int calls) {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            double[] perCall = new double[5];
            for (int r = 0; r < perCall.length; r++) {
                long t0 = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < calls; i++) {
                    run();
                }
                perCall[r] = (threads.getCurrentThreadCpuTime() - t0) / (double) calls;
            }
            Arrays.sort(perCall);
            return perCall[perCall.length / 2];
        }
    }
}
