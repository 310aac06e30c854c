package io.monasca.perf.toggle;

import java.io.IOException;

/**
 * Calibrates the agent's cost per timed call in the persister, at window edges only (the persister idle), through
 * the agent MBean's {@code calibrateCallCost}: in {@code enable} mode and in {@code attach} mode, before each window
 * with the agent on (then its MBean is there and timing on). The first use runs a few calibrations that are not
 * kept, so that the agent's calibration loop is compiled, as the woven code is by then. Never fails the run: when the
 * MBean cannot be reached or refuses, the calibrations stop and {@link #unavailable} says why.
 */
final class CallCostProbe {
    private final PersisterJvm jvm;
    private boolean warmedUp;
    private String unavailable;

    CallCostProbe(PersisterJvm jvm) {
        this.jvm = jvm;
    }

    /** One calibration now, or null (see {@link #unavailable}). */
    DirectCost.Calibration calibrate() {
        if (unavailable != null) return null;
        try {
            if (!warmedUp) {
                for (int i = 0; i < DirectCost.WARM_UP_CALIBRATIONS; i++) jvm.calibrateCallCost(DirectCost.CALLS);
                warmedUp = true;
            }
            return DirectCost.Calibration.of(jvm.calibrateCallCost(DirectCost.CALLS));
        } catch (IOException | RuntimeException e) {
            unavailable = "the agent's call cost could not be calibrated: " + e.getMessage();
            return null;
        }
    }

    /** Why the calibrations stopped, or null. */
    String unavailable() {
        return unavailable;
    }
}
