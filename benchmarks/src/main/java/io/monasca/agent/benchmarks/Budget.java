package io.monasca.agent.benchmarks;

import java.util.Locale;

/** One budget line of a benchmark: {@code name value budget PASS|FAIL}. */
public record Budget(String name, double value, double budget, String format) {

    /** A budget met when {@code value <= budget}. */
    public static Budget atMost(String name, double value, double budget, String format) {
        return new Budget(name, value, budget, format);
    }

    public boolean passed() {
        return value <= budget;
    }

    public String line() {
        return String.format(Locale.ROOT, "%s " + format + " " + format + " %s", name, value, budget,
                passed() ? "PASS" : "FAIL");
    }
}
