package io.monasca.perf.run;

/** The order of agent-off and agent-on rounds or windows, shared by both modes of {@code perf run}. */
public final class AbbaOrder {
    private AbbaOrder() {
    }

    /**
     * ABBA order: off, on, on, off, off, on, on, off, ... Each pair of rounds (1, 2), (3, 4), ... has one of each,
     * and a drift that is linear in time adds the same to the off and the on rounds of every four.
     */
    public static String mode(int round) {
        int pair = (round - 1) / 2;
        boolean first = (round - 1) % 2 == 0;
        boolean offFirst = pair % 2 == 0;
        return first == offFirst ? "off" : "on";
    }
}
