package io.monasca.agent.config;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Collects raw {@code key=value} settings from every source, highest precedence first: the agent argument, system
 * properties {@code monasca.agent.<key>}, environment variables {@code MONASCA_AGENT_<KEY>}, the properties file
 * named by key {@code config}. Unknown keys are reported and ignored.
 */
public final class ConfigSources {
    static final String SYSTEM_PROPERTY_PREFIX = "monasca.agent.";
    static final String ENVIRONMENT_PREFIX = "MONASCA_AGENT_";
    static final String CONFIG = "config";
    static final String OP_PREFIX = "op.";
    static final String ITEMS_PREFIX = "items.";

    static final List<String> KEYS = Collections.unmodifiableList(Arrays.asList(
            CONFIG, "profile", "statsd.host", "statsd.port", "statsd.format", "statsd.packet-size", "interval",
            "prefix", "instance", "dimensions", "per-thread", "per-thread.max", "enabled", "percentiles",
            "per-thread.percentiles"));
    /** Larger than any agent properties file: a file this big is something else, and is not read. */
    static final long MAX_FILE_BYTES = 1024 * 1024;

    /** A value and where it came from, for messages. */
    static final class Value {
        final String text;
        final String source;

        Value(String text, String source) {
            this.text = text;
            this.source = source;
        }
    }

    private ConfigSources() {
    }

    /**
     * Returns the effective raw values by key; problems found on the way are added to {@code problems}, those that
     * must stop the agent (a config file that cannot be read) to {@code fatal} too, and a key set differently in
     * several sources to {@code notes}.
     */
    static Map<String, Value> collect(String agentArgument, Properties systemProperties, Map<String, String> environment,
                                      List<String> problems, List<String> fatal, List<String> notes) {
        Map<String, Value> fromArgument = fromArgument(agentArgument, problems);
        Map<String, Value> fromSystem = fromSystemProperties(systemProperties, problems);
        Map<String, Value> fromEnvironment = fromEnvironment(environment, problems);

        Map<String, Value> merged = new LinkedHashMap<String, Value>();
        Value configFile = firstOf(CONFIG, fromArgument, fromSystem, fromEnvironment);
        List<Map<String, Value>> lowestFirst = new java.util.ArrayList<Map<String, Value>>();
        if (configFile != null) {
            lowestFirst.add(fromFile(configFile, problems, fatal));
        }
        lowestFirst.add(fromEnvironment);
        lowestFirst.add(fromSystem);
        lowestFirst.add(fromArgument);
        for (Map<String, Value> source : lowestFirst) {
            for (Map.Entry<String, Value> e : source.entrySet()) {
                Value overridden = merged.put(e.getKey(), e.getValue());
                if (overridden != null && !overridden.text.equals(e.getValue().text)) {
                    notes.add("key '" + e.getKey() + "' = '" + e.getValue().text + "' from " + e.getValue().source
                            + " overrides '" + overridden.text + "' from " + overridden.source);
                }
            }
        }
        return merged;
    }

    static boolean isKnownKey(String key) {
        if (key.startsWith(OP_PREFIX)) {
            return Syntax.isOperationName(key.substring(OP_PREFIX.length()));
        }
        if (key.startsWith(ITEMS_PREFIX)) {
            return Syntax.isOperationName(key.substring(ITEMS_PREFIX.length()));
        }
        return KEYS.contains(key);
    }

    private static Map<String, Value> fromArgument(String argument, List<String> problems) {
        Map<String, Value> values = new LinkedHashMap<String, Value>();
        for (String entry : AgentArguments.split(argument)) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                problems.add("agent argument entry '" + entry + "' is not key=value; ignored");
                continue;
            }
            put(values, entry.substring(0, eq).trim(), entry.substring(eq + 1).trim(), "agent argument", problems);
        }
        return values;
    }

    private static Map<String, Value> fromSystemProperties(Properties properties, List<String> problems) {
        Map<String, Value> values = new LinkedHashMap<String, Value>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(SYSTEM_PROPERTY_PREFIX)) {
                put(values, name.substring(SYSTEM_PROPERTY_PREFIX.length()), properties.getProperty(name).trim(),
                        "system property " + name, problems);
            }
        }
        return values;
    }

    private static Map<String, Value> fromEnvironment(Map<String, String> environment, List<String> problems) {
        Map<String, Value> values = new LinkedHashMap<String, Value>();
        for (Map.Entry<String, String> e : environment.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(ENVIRONMENT_PREFIX)) {
                continue;
            }
            String key = keyOfEnvironmentName(name.substring(ENVIRONMENT_PREFIX.length()));
            if (key == null) {
                problems.add("environment variable " + name + " names no known key; ignored (known: "
                        + KEYS + ", op.<name> and items.<name>)");
                continue;
            }
            put(values, key, e.getValue().trim(), "environment variable " + name, problems);
        }
        return values;
    }

    /** {@code STATSD_HOST} -> {@code statsd.host}, {@code PER_THREAD_MAX} -> {@code per-thread.max}, {@code OP_X} -> {@code op.x}. */
    static String keyOfEnvironmentName(String suffix) {
        for (String key : KEYS) {
            if (environmentName(key).equals(suffix)) {
                return key;
            }
        }
        if (suffix.startsWith("OP_")) {
            String key = OP_PREFIX + suffix.substring(3).toLowerCase(Locale.ROOT);
            return isKnownKey(key) ? key : null;
        }
        if (suffix.startsWith("ITEMS_")) {
            String key = ITEMS_PREFIX + suffix.substring(6).toLowerCase(Locale.ROOT);
            return isKnownKey(key) ? key : null;
        }
        return null;
    }

    static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Map<String, Value> fromFile(Value path, List<String> problems, List<String> fatal) {
        Map<String, Value> values = new LinkedHashMap<String, Value>();
        Properties properties = new Properties();
        java.io.File file = new java.io.File(path.text);
        String why = null;
        if (file.isDirectory()) {
            why = "a directory";
        } else if (file.length() > MAX_FILE_BYTES) {
            why = "a file of " + file.length() + " bytes, more than the " + MAX_FILE_BYTES
                    + " an agent properties file can be";
        } else {
            try (InputStream in = new FileInputStream(file)) {
                properties.load(in);
            } catch (IOException e) {
                why = "cannot read the file as user " + System.getProperty("user.name") + " ("
                        + FileFacts.describe(path.text) + "): " + e;
            }
        }
        if (why != null) {
            String problem = "key 'config' = '" + path.text + "' (from " + path.source + "): " + why;
            problems.add(problem + "; the agent does not start without it");
            fatal.add(problem);
            return values;
        }
        for (String key : properties.stringPropertyNames()) {
            if (key.equals(CONFIG)) {
                problems.add("key 'config' inside the file " + path.text + " is ignored (no nested files)");
                continue;
            }
            put(values, key, properties.getProperty(key).trim(), "file " + path.text, problems);
        }
        return values;
    }

    private static void put(Map<String, Value> values, String key, String text, String source, List<String> problems) {
        if (!isKnownKey(key)) {
            problems.add("unknown key '" + key + "' (from " + source + "); ignored (known: " + KEYS
                    + ", op.<name> and items.<name> with name matching " + Syntax.OPERATION_NAME + ")");
            return;
        }
        values.put(key, new Value(text, source));
    }

    @SafeVarargs
    private static Value firstOf(String key, Map<String, Value>... sources) {
        for (Map<String, Value> source : sources) {
            Value value = source.get(key);
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
