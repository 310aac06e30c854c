package io.monasca.perf.toggle;

import io.monasca.perf.run.AbbaOrder;

import java.util.ArrayList;
import java.util.List;

/**
 * The order of a toggle run's windows after the warm-up (which {@link ToggleRunner} runs until the persister is
 * steady, ending with the agent on):
 * <ol>
 *   <li>the backlog phase: measured windows sent as fast as possible, as many as {@link StoppingRule} says;</li>
 *   <li>the fixed-rate phase: pairs of unmeasured windows at the rate (on, off: a backlog is read in large fetches, a
 *   fixed rate in small ones, through code the JIT has not compiled yet) until they are steady, then measured windows
 *   at the rate.</li>
 * </ol>
 * Measured windows run in ABBA order (off, on, on, off, off, on, ...; the same order as the rounds of
 * {@code --mode restart}), so each pair 1-2, 3-4, ... has one window of each and a drift that is linear in time
 * cancels over four. The agent is switched only where the mode changes. With {@code settle} each switch before a
 * measured window is followed by a settle window of the new mode: checked like the others, never in the statistics,
 * it absorbs what a switch sets off (after an attach or a detach the JIT compiles the retransformed methods again).
 * Sizes are decided while the run goes: the plan says what kind of window comes next.
 */
public final class WindowPlan {
    private WindowPlan() {
    }

    /** What a window is for: a warm-up window, a settle window (after a switch, or before the fixed rate), or measured. */
    public enum Kind { WARMUP, SETTLE, MEASURED }

    /**
     * One window to run; measured ones have a number (1, 2, ... within the phase), the others 0. {@code atRate}: its
     * messages are sent at the fixed rate, else as fast as possible.
     */
    public record Planned(Window.Phase phase, Kind kind, int number, String mode, boolean atRate) {
        public boolean measured() {
            return kind == Kind.MEASURED;
        }
    }

    /**
     * The fixed-rate phase's settle pair, unmeasured, at the rate: on, then off (a backlog is read in large fetches,
     * a fixed rate in small ones, through code the JIT has not compiled yet). Run until the windows are steady.
     */
    /** A pair of the warm-up: off, then on, as fast as possible, not measured. */
    public static List<Planned> warmUpPair() {
        return List.of(new Planned(Window.Phase.WARMUP, Kind.WARMUP, 0, "off", false),
                new Planned(Window.Phase.WARMUP, Kind.WARMUP, 0, "on", false));
    }

    public static List<Planned> rateSettlePair() {
        return List.of(new Planned(Window.Phase.RATE, Kind.SETTLE, 0, "on", true),
                new Planned(Window.Phase.RATE, Kind.SETTLE, 0, "off", true));
    }

    /**
     * Measured window {@code number} of a phase (ABBA order), after the agent's state {@code state}: preceded by a
     * settle window of its mode when {@code settle} and the mode changes.
     */
    public static List<Planned> measured(Window.Phase phase, int number, String state, boolean settle, boolean atRate) {
        String mode = AbbaOrder.mode(number);
        List<Planned> plan = new ArrayList<>();
        if (!mode.equals(state) && settle) plan.add(new Planned(phase, Kind.SETTLE, 0, mode, atRate));
        plan.add(new Planned(phase, Kind.MEASURED, number, mode, atRate));
        return plan;
    }

    /** {@code windows} measured windows in ABBA order, each switch followed by a settle window when {@code settle}. */
    public static List<Planned> phase(Window.Phase phase, int windows, boolean settle, String agentMode, boolean atRate) {
        List<Planned> plan = new ArrayList<>();
        String state = agentMode;
        for (int number = 1; number <= windows; number++) {
            plan.addAll(measured(phase, number, state, settle, atRate));
            state = AbbaOrder.mode(number);
        }
        return plan;
    }
}
