package io.monasca.agent.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The agent's settings: parsed and validated once, at start, then immutable. A bad value never stops the
 * application: it is reported in {@link #problems} (naming the key, the value and its source) and the default is
 * used; a bad target is skipped and the valid ones kept. Only a config file that cannot be read stops the agent
 * itself from starting ({@link #fatal}).
 */
public final class AgentSettings {
    public enum Format { MONASCA, DOGSTATSD }

    /** Largest datagram the monasca-agent statsd daemon reads. */
    static final int MAX_PACKET_SIZE = 8192;
    static final long MIN_INTERVAL_MILLIS = 100;
    static final long MAX_INTERVAL_MILLIS = 3_600_000;
    static final String DEFAULT_PERCENTILES = "50,95,99";

    public final List<Operation> operations;
    public final String statsdHost;
    public final int statsdPort;
    public final Format format;
    public final int packetSize;
    public final long intervalMillis;
    public final String prefix;
    /** service and component first, then the configured ones, in the order given. */
    public final Map<String, String> dimensions;
    public final boolean perThread;
    public final int perThreadMax;
    public final boolean enabled;
    /** The percentiles to send, ascending; empty when off ({@code percentiles=none} or a bad value). */
    public final List<Percentile> percentiles;
    /** Also send the percentiles per thread (not only per instance). */
    public final boolean perThreadPercentiles;
    public final List<String> problems;
    /**
     * Why the agent must not start at all (also in {@link #problems}): a config file named explicitly that cannot be
     * read. The agent never runs on settings nobody asked for, which the defaults in its place would be.
     */
    public final List<String> fatal;
    /** Worth saying, not wrong: a key set differently in several sources (the one with precedence wins). */
    public final List<String> notes;

    private AgentSettings(Parser p) {
        this.operations = Collections.unmodifiableList(p.operations);
        this.statsdHost = p.statsdHost;
        this.statsdPort = p.statsdPort;
        this.format = p.format;
        this.packetSize = p.packetSize;
        this.intervalMillis = p.intervalMillis;
        this.prefix = p.prefix;
        this.dimensions = Collections.unmodifiableMap(p.dimensions);
        this.perThread = p.perThread;
        this.perThreadMax = p.perThreadMax;
        this.enabled = p.enabled;
        this.percentiles = Collections.unmodifiableList(p.percentiles);
        this.perThreadPercentiles = p.perThreadPercentiles;
        this.problems = Collections.unmodifiableList(p.problems);
        this.fatal = Collections.unmodifiableList(p.fatal);
        this.notes = Collections.unmodifiableList(p.notes);
    }

    /** Settings from the agent argument, this JVM's system properties and environment, and the config file. */
    public static AgentSettings load(String agentArgument) {
        return parse(agentArgument, System.getProperties(), System.getenv());
    }

    public static AgentSettings parse(String agentArgument, Properties systemProperties, Map<String, String> environment) {
        return new AgentSettings(new Parser(agentArgument, systemProperties, environment));
    }

    public Operation operation(String name) {
        for (Operation op : operations) {
            if (op.name.equals(name)) {
                return op;
            }
        }
        return null;
    }

    /** At most this many distinct target types over all operations (the matcher keeps one bit per type). */
    public static final int MAX_TARGET_TYPES = 64;
    /** The JDK's own packages, whose classes are never timed (dotted; the matcher uses them as internal names). */
    public static final List<String> JDK_PACKAGES = Collections.unmodifiableList(Arrays.asList(
            "java.", "javax.", "jdk.", "sun.", "com.sun."));

    private static boolean isJdkType(String typeName) {
        for (String p : JDK_PACKAGES) {
            if (typeName.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** Reads each key once, falling back to the default (and saying so) on a bad value. */
    private static final class Parser {
        final List<String> problems = new ArrayList<String>();
        final List<String> fatal = new ArrayList<String>();
        final List<String> notes = new ArrayList<String>();
        final Map<String, ConfigSources.Value> raw;
        final List<Operation> operations = new ArrayList<Operation>();
        String statsdHost = "localhost";
        int statsdPort = 8125;
        Format format = Format.MONASCA;
        int packetSize = 1432;
        long intervalMillis = 20_000;
        String prefix = "monasca.persister";
        final Map<String, String> dimensions = new LinkedHashMap<String, String>();
        boolean perThread = true;
        int perThreadMax = 64;
        boolean enabled = true;
        List<Percentile> percentiles = Percentile.parseList(DEFAULT_PERCENTILES);
        boolean perThreadPercentiles = false;

        Parser(String argument, Properties systemProperties, Map<String, String> environment) {
            raw = ConfigSources.collect(argument, systemProperties, environment, problems, fatal, notes);
            String host = text("statsd.host");
            if (host != null) {
                if (host.isEmpty() || host.contains(" ")) {
                    bad("statsd.host", "not a host name or address", statsdHost);
                } else {
                    statsdHost = host;
                }
            }
            statsdPort = (int) number("statsd.port", 1, 65535, statsdPort);
            packetSize = (int) number("statsd.packet-size", 512, MAX_PACKET_SIZE, packetSize);
            perThreadMax = (int) number("per-thread.max", 0, 100_000, perThreadMax);
            format = format();
            intervalMillis = interval();
            prefix = prefix();
            perThread = bool("per-thread", perThread);
            enabled = bool("enabled", enabled);
            percentiles();
            perThreadPercentiles = bool("per-thread.percentiles", perThreadPercentiles);
            dimensions.put("service", "monitoring");
            dimensions.put("component", "monasca-persister");
            instance();
            dimensions();
            operations();
            itemsKeysWithoutOperation();
            fitLinesInPackets();
        }

        /**
         * The longest line the agent can send (longest operation, a per-thread time, a thread name of the maximum
         * length) must fit one datagram, or it would be dropped every interval: raise the packet size up to what the
         * daemon reads, else drop the extra dimensions.
         */
        private void fitLinesInPackets() {
            int longest = longestLine();
            if (longest <= packetSize) {
                return;
            }
            if (longest <= MAX_PACKET_SIZE) {
                problems.add("lines with these dimensions reach " + longest + " bytes, more than statsd.packet-size "
                        + packetSize + "; using statsd.packet-size=" + longest);
                packetSize = longest;
                return;
            }
            while (dimensions.size() > 2 && longestLine() > MAX_PACKET_SIZE) {
                String last = null;
                for (String key : dimensions.keySet()) {
                    last = key;
                }
                dimensions.remove(last);
                problems.add("key 'dimensions': lines would exceed the " + MAX_PACKET_SIZE + " bytes the daemon reads;"
                        + " dimension '" + last + "' dropped");
            }
            packetSize = Math.max(packetSize, Math.min(longestLine(), MAX_PACKET_SIZE));
        }

        /**
         * Fail closed: a bad value turns percentiles off rather than sending ones nobody asked for. Off is safe: the
         * other series are unchanged.
         */
        private void percentiles() {
            String text = text("percentiles");
            if (text == null) {
                return;
            }
            if (text.trim().equalsIgnoreCase("none")) {
                percentiles = new ArrayList<Percentile>();
                return;
            }
            List<Percentile> parsed = Percentile.parseList(text);
            if (parsed == null) {
                bad("percentiles", "not 'none' or up to " + Percentile.MAX_COUNT + " distinct percentiles above 0 and"
                        + " below 100 with at most " + Percentile.MAX_DECIMALS + " decimals (e.g. 50,95,99.9)", "none");
                percentiles = new ArrayList<Percentile>();
            } else {
                percentiles = parsed;
            }
        }

        private int longestLine() {
            String suffix = ".thread.time.avg";
            for (Percentile p : percentiles) {
                if (".thread.time.".length() + p.label.length() > suffix.length()) {
                    suffix = ".thread.time." + p.label;
                }
            }
            int name = prefix.length() + suffix.length() + 1;
            for (Operation op : operations) {
                name = Math.max(name, prefix.length() + 1 + op.name.length() + suffix.length());
            }
            int dims = 2 + ", 'thread': ''".length() + DimensionRules.MAX_LENGTH;
            for (Map.Entry<String, String> d : dimensions.entrySet()) {
                dims += d.getKey().length() + d.getValue().length() + "'': '', ".length();
            }
            return name + ":".length() + 20 + "|c|#".length() + dims; // 20: the longest value
        }

        private String text(String key) {
            ConfigSources.Value v = raw.get(key);
            return v == null ? null : v.text;
        }

        private void bad(String key, String why, Object fallback) {
            ConfigSources.Value v = raw.get(key);
            problems.add("key '" + key + "' = '" + v.text + "' (from " + v.source + "): " + why
                    + (fallback == null ? "" : "; using " + fallback));
        }

        private long number(String key, long min, long max, long fallback) {
            String text = text(key);
            if (text == null) {
                return fallback;
            }
            try {
                long value = Long.parseLong(text);
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            bad(key, "not a whole number from " + min + " to " + max, fallback);
            return fallback;
        }

        private boolean bool(String key, boolean fallback) {
            String text = text(key);
            if (text == null) {
                return fallback;
            }
            if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(text);
            }
            bad(key, "not true or false", fallback);
            return fallback;
        }

        private Format format() {
            String text = text("statsd.format");
            if (text == null) {
                return format;
            }
            try {
                return Format.valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                bad("statsd.format", "not 'monasca' or 'dogstatsd'", "monasca");
                return format;
            }
        }

        private long interval() {
            String text = text("interval");
            if (text == null) {
                return intervalMillis;
            }
            long millis = Syntax.durationMillis(text);
            if (millis >= MIN_INTERVAL_MILLIS && millis <= MAX_INTERVAL_MILLIS) {
                return millis;
            }
            bad("interval", "not a duration from " + MIN_INTERVAL_MILLIS + "ms to 1h (e.g. 500ms, 5s, 1m)", "20s");
            return intervalMillis;
        }

        private String prefix() {
            String text = text("prefix");
            if (text == null) {
                return prefix;
            }
            // starts with a letter: the daemon reads a line starting "_e" as an event and drops its datagram
            if (Syntax.isPrefix(text) && text.length() <= 200) {
                return text;
            }
            bad("prefix", "not a dotted metric name of letters, digits, '_' and '-' starting with a letter", prefix);
            return prefix;
        }

        private final java.util.Set<String> targetTypes = new java.util.HashSet<String>();

        private void dropTypesBeyondTheLimit(String operation, String origin, List<OperationTarget> targets) {
            for (java.util.Iterator<OperationTarget> it = targets.iterator(); it.hasNext(); ) {
                OperationTarget t = it.next();
                if (!targetTypes.contains(t.typeName) && targetTypes.size() >= MAX_TARGET_TYPES) {
                    problems.add("key 'op." + operation + "' (from " + origin + "): target " + t + " is beyond the "
                            + MAX_TARGET_TYPES + " distinct target types the agent takes; it is skipped");
                    it.remove();
                } else {
                    targetTypes.add(t.typeName);
                }
            }
        }

        /**
         * {@code instance}: a dimension that keeps the series of several JVMs apart when they share one statsd daemon
         * (the daemon keeps only the last gauge of a series). None by default: one persister per host is kept apart
         * by the daemon's own {@code hostname} dimension, and every distinct value is stored by Monasca for good.
         */
        private void instance() {
            String text = text("instance");
            if (text == null || text.isEmpty()) {
                return;
            }
            String why = DimensionRules.problem("instance", text);
            if (why != null) {
                bad("instance", why + "; no instance dimension", null);
            } else {
                dimensions.put("instance", text);
            }
        }

        private void dimensions() {
            String text = text("dimensions");
            if (text == null || text.isEmpty()) {
                return;
            }
            for (String pair : text.split(",")) {
                int colon = pair.indexOf(':');
                String key = colon < 0 ? "" : pair.substring(0, colon).trim();
                String value = colon < 0 ? "" : pair.substring(colon + 1).trim();
                String why = colon < 0 ? "not key:value" : DimensionRules.problem(key, value);
                if (why != null) {
                    problems.add("key 'dimensions' entry '" + pair.trim() + "' (from " + raw.get("dimensions").source
                            + "): " + why + "; entry ignored");
                } else {
                    dimensions.put(key, value);
                }
            }
        }

        /** Key {@code items.<operation>}: auto (the default), size or none. */
        private Operation.Items items(String operation) {
            String key = ConfigSources.ITEMS_PREFIX + operation;
            String value = text(key);
            if (value == null) {
                return Operation.Items.AUTO;
            }
            for (Operation.Items items : Operation.Items.values()) {
                if (items.name().equalsIgnoreCase(value)) {
                    return items;
                }
            }
            bad(key, "not 'auto', 'size' or 'none'", "auto");
            return Operation.Items.AUTO;
        }

        /** An {@code items.<name>} key for an operation that is not configured is a mistake worth a line. */
        private void itemsKeysWithoutOperation() {
            for (Map.Entry<String, ConfigSources.Value> e : raw.entrySet()) {
                if (e.getKey().startsWith(ConfigSources.ITEMS_PREFIX)
                        && operation(e.getKey().substring(ConfigSources.ITEMS_PREFIX.length())) == null) {
                    problems.add("key '" + e.getKey() + "' (from " + e.getValue().source + "): no operation '"
                            + e.getKey().substring(ConfigSources.ITEMS_PREFIX.length()) + "' is timed; ignored");
                }
            }
        }

        private Operation operation(String name) {
            for (Operation op : operations) {
                if (op.name.equals(name)) {
                    return op;
                }
            }
            return null;
        }

        private void operations() {
            String profile = text("profile");
            Map<String, String> fromProfile = Profiles.operations(profile == null ? Profiles.DEFAULT : profile);
            if (fromProfile == null) {
                bad("profile", "not a known profile ('" + Profiles.DEFAULT + "' or '" + Profiles.NONE + "')",
                        Profiles.DEFAULT);
                profile = Profiles.DEFAULT;
                fromProfile = Profiles.operations(profile);
            }
            Map<String, String> definitions = new LinkedHashMap<String, String>();
            Map<String, String> origins = new LinkedHashMap<String, String>();
            for (Map.Entry<String, String> e : fromProfile.entrySet()) {
                definitions.put(e.getKey(), e.getValue());
                origins.put(e.getKey(), "profile " + (profile == null ? Profiles.DEFAULT : profile));
            }
            for (Map.Entry<String, ConfigSources.Value> e : raw.entrySet()) {
                if (e.getKey().startsWith(ConfigSources.OP_PREFIX)) {
                    String name = e.getKey().substring(ConfigSources.OP_PREFIX.length());
                    definitions.put(name, e.getValue().text);
                    origins.put(name, e.getValue().source);
                }
            }
            for (Map.Entry<String, String> e : definitions.entrySet()) {
                List<OperationTarget> targets = new ArrayList<OperationTarget>();
                for (String part : e.getValue().split(";")) {
                    if (part.trim().isEmpty()) {
                        continue;
                    }
                    try {
                        OperationTarget target = OperationTarget.parse(part);
                        if (target.typeName.startsWith("io.monasca.agent.")) {
                            throw new IllegalArgumentException("'" + target + "' is the agent's own code, which is"
                                    + " never timed");
                        }
                        if (isJdkType(target.typeName)) {
                            notes.add("op." + e.getKey() + " target " + target + ": only the application's own"
                                    + " subtypes are timed; classes of the JDK itself never are");
                        }
                        targets.add(target);
                    } catch (IllegalArgumentException ex) {
                        problems.add("key 'op." + e.getKey() + "' (from " + origins.get(e.getKey()) + "): "
                                + ex.getMessage() + "; this target is skipped");
                    }
                }
                dropTypesBeyondTheLimit(e.getKey(), origins.get(e.getKey()), targets);
                if (!targets.isEmpty()) {
                    operations.add(new Operation(e.getKey(), targets, origins.get(e.getKey()), items(e.getKey())));
                } else if (e.getValue().trim().isEmpty()) {
                    problems.add("key 'op." + e.getKey() + "' (from " + origins.get(e.getKey())
                            + ") is empty: operation '" + e.getKey() + "' is not timed");
                }
            }
        }
    }
}
