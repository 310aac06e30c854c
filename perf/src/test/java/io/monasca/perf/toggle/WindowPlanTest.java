package io.monasca.perf.toggle;

import io.monasca.perf.run.AbbaOrder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
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

    /** The backlog phase window by window, as the runner asks for it, after the warm-up left the agent on. */
    private static List<WindowPlan.Planned> backlog(int windows, boolean settle) {
        List<WindowPlan.Planned> plan = new ArrayList<>();
        String state = "on";
        for (int number = 1; number <= windows; number++) {
            plan.addAll(WindowPlan.measured(Window.Phase.BACKLOG, number, state, settle, false));
            state = AbbaOrder.mode(number);
        }
        return plan;
    }

    @Test
    void measuredWindowsRunInAbbaOrderAndTheFixedRateStartsWithUnmeasuredPairs() {
        assertEquals("backlog 1 off; backlog 2 on; backlog 3 on; backlog 4 off; backlog 5 off; backlog 6 on; ",
                describe(backlog(6, false)));
        assertEquals("rate settle on at rate; rate settle off at rate; ", describe(WindowPlan.rateSettlePair()));
        assertEquals("rate 1 off at rate; rate 2 on at rate; ", describe(WindowPlan.phase(Window.Phase.RATE, 2, false, "off", true)));
    }

    @Test
    void withAttachEverySwitchBeforeAMeasuredWindowIsFollowedByASettleWindow() {
        // the warm-up leaves the agent on
        assertEquals("backlog settle off; backlog 1 off; backlog settle on; backlog 2 on; backlog 3 on; backlog settle off; "
                        + "backlog 4 off; ", describe(backlog(4, true)));
        assertEquals("rate 1 off at rate; rate settle on at rate; rate 2 on at rate; ",
                describe(WindowPlan.phase(Window.Phase.RATE, 2, true, "off", true)));
    }

    @Test
    void windowSizesAreWholeBatchesPerThread() {
        assertEquals(20_000, ToggleRunner.units(1, 20_000), "at least one");
        assertEquals(140_000, ToggleRunner.units(145_000, 20_000));
        assertEquals(160_000, ToggleRunner.units(151_000, 20_000));
    }
}
