package io.monasca.agent.cli;

import java.util.regex.Pattern;

/**
 * A settings problem as {@code attach} shows it when it refuses the settings. The agent words each problem for its
 * log, with what it then does ("using 8125", "ignored", "skipped"); a refused attach does none of that, so the
 * outcome is cut and only what is wrong remains, under one header that says nothing was started.
 */
final class Refusals {
    private static final Pattern KNOWN_KEYS = Pattern.compile("; ignored (\\(known: .*\\))$");
    private static final Pattern OUTCOME = Pattern.compile(";\\s+(using |entry ignored|ignored|this target is skipped"
            + "|it is skipped|the agent does not start|its settings are not used|dimension '[^']*' dropped"
            + "|no instance dimension).*$");

    private Refusals() {
    }

    static String withoutOutcome(String problem) {
        String s = KNOWN_KEYS.matcher(problem).replaceFirst(" $1");
        s = s.replaceFirst(" is ignored \\(no nested files\\)$", ": no nested files are allowed");
        s = s.replaceFirst(": operation '[^']*' is not timed$", "");
        return OUTCOME.matcher(s).replaceFirst("");
    }
}
