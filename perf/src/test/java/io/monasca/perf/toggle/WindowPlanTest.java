package io.monasca.perf.toggle;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WindowPlanTest {
    private static String describe(List<WindowPlan.Planned> plan) {
        StringBuilder s = new StringBuilder();
        for (WindowPlan.Planned p : plan) {
            s.append(p.phase().label).append(' ').append(p.measured() ? Integer.toString(p.number()) : "settle").append(' ')
                    .append(p.mode()).append(p.atRate() ? " at rate" : "").append("; ");
        }
        return s.toString();
    }

    @Test
    void measuredWindowsRunInAbbaOrderAndTheFixedRateStartsWithTwoUnmeasuredWindows() {
        assertEquals("backlog 1 off; backlog 2 on; backlog 3 on; backlog 4 off; backlog 5 off; backlog 6 on; "
                        + "rate settle on at rate; rate settle off at rate; rate 1 off at rate; rate 2 on at rate; ",
                describe(WindowPlan.phases(6, 2, false)));
        assertEquals("backlog 1 off; backlog 2 on; ", describe(WindowPlan.phases(2, 0, false)));
    }

    @Test
    void withAttachEverySwitchBeforeAMeasuredWindowIsFollowedByASettleWindow() {
        // the warm-up leaves the agent on
        assertEquals("backlog settle off; backlog 1 off; backlog settle on; backlog 2 on; backlog 3 on; backlog settle off; "
                        + "backlog 4 off; rate settle on at rate; rate settle off at rate; rate 1 off at rate; "
                        + "rate settle on at rate; rate 2 on at rate; ",
                describe(WindowPlan.phases(4, 2, true)));
    }

    @Test
    void windowSizesAreWholeBatchesPerThread() {
        assertEquals(20_000, ToggleRunner.units(1, 20_000), "at least one");
        assertEquals(140_000, ToggleRunner.units(145_000, 20_000));
        assertEquals(160_000, ToggleRunner.units(151_000, 20_000));
    }
}
