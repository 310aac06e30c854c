package io.monasca.sample.persister.config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** Reads and validates the YAML configuration; every error names the key at fault. */
public final class ConfigLoader {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    static {
        // "batchSize: ten" or "batchSize: '10'" is an error, not a silent conversion.
        YAML.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        YAML.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    }

    private ConfigLoader() {
    }

    public static PersisterConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file not found: " + file);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    public static PersisterConfig parse(String yaml, String source) throws ConfigException {
        if (yaml.isBlank()) {
            throw new ConfigException(source + ": the config file is empty");
        }
        // As a tree first: duplicated keys are caught while reading it, and a value of the wrong type can be
        // quoted from it, in the user's words rather than the mapper's.
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": " + syntaxError(e));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new ConfigException(source + ": the config file is empty");
        }
        PersisterConfig config;
        try {
            config = YAML.treeToValue(tree, PersisterConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(source + ": unknown key '" + key(e) + "' (known here: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", "))
                    + ")");
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": " + typeError(e, tree));
        }
        List<String> errors = validate(config);
        if (!errors.isEmpty()) {
            throw new ConfigException(source + ": " + String.join("; ", errors));
        }
        return config;
    }

    private static String syntaxError(JsonProcessingException e) {
        String line = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
        if (e.getProcessor() instanceof JsonParser parser && e.getOriginalMessage().startsWith("Duplicate field")) {
            String key = parser.getParsingContext().pathAsPointer().toString().substring(1).replace('/', '.');
            return "duplicate key '" + key + "'" + line + ": a key may appear only once in its section "
                    + "(else the last one would silently win)";
        }
        return "not valid YAML: " + e.getOriginalMessage() + line;
    }

    /** "key: expected a whole number, got 'ten'", naming the key and quoting the value as the file has it. */
    private static String typeError(JsonProcessingException e, JsonNode tree) {
        if (!(e instanceof JsonMappingException mapping)) {
            return e.getOriginalMessage();
        }
        JsonPointer pointer = JsonPointer.empty();
        Class<?> type = PersisterConfig.class;
        for (JsonMappingException.Reference ref : mapping.getPath()) {
            pointer = ref.getFieldName() != null ? pointer.appendProperty(ref.getFieldName()) : pointer.appendIndex(ref.getIndex());
            type = fieldType(type, ref.getFieldName());
        }
        if (type == null && e instanceof MismatchedInputException mismatch) {
            type = mismatch.getTargetType(); // a value inside a map, such as kafkaConfig.properties
        }
        String key = key(mapping);
        return (key.isEmpty() ? "the file" : key) + ": expected " + describe(type) + ", got " + describe(tree.at(pointer));
    }

    private static Class<?> fieldType(Class<?> owner, String name) {
        try {
            return owner == null || name == null ? null : owner.getField(name).getType();
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    private static String describe(Class<?> type) {
        if (type == int.class || type == Integer.class) return "a whole number";
        if (type == String.class) return "a string";
        if (type != null && Map.class.isAssignableFrom(type)) return "a map of key: value lines";
        if (type != null && type.getName().startsWith(PersisterConfig.class.getName())) return "a section of key: value lines";
        return "another value";
    }

    private static String describe(JsonNode value) {
        if (value.isArray()) return "a list";
        if (value.isObject()) return "a section";
        if (value.isNull() || value.isMissingNode()) return "nothing";
        return "'" + value.asText() + "'";
    }

    private static String key(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static List<String> validate(PersisterConfig config) {
        List<String> errors = new ArrayList<>();
        if (nullSection(errors, config.metricConfiguration, "metricConfiguration")
                | nullSection(errors, config.kafkaConfig, "kafkaConfig")
                | nullSection(errors, config.databaseConfiguration, "databaseConfiguration")
                | nullSection(errors, config.influxDB, "influxDB")
                | nullSection(errors, config.file, "file")
                | nullSection(errors, config.server, "server")) {
            return errors;
        }
        PersisterConfig.MetricConfiguration metrics = config.metricConfiguration;
        notBlank(errors, metrics.topic, "metricConfiguration.topic");
        notBlank(errors, metrics.groupId, "metricConfiguration.groupId");
        range(errors, metrics.numThreads, 1, 256, "metricConfiguration.numThreads");
        range(errors, metrics.batchSize, 1, 1_000_000, "metricConfiguration.batchSize");
        range(errors, metrics.maxBatchTime, 1, 3600, "metricConfiguration.maxBatchTime");
        range(errors, metrics.maxMessageSize, 64, 100_000_000, "metricConfiguration.maxMessageSize");

        notBlank(errors, config.kafkaConfig.bootstrapServers, "kafkaConfig.bootstrapServers");
        if (!"earliest".equals(config.kafkaConfig.autoOffsetReset) && !"latest".equals(config.kafkaConfig.autoOffsetReset)) {
            errors.add("kafkaConfig.autoOffsetReset must be earliest or latest, not '" + config.kafkaConfig.autoOffsetReset + "'");
        }
        if (config.kafkaConfig.properties == null) {
            errors.add("kafkaConfig.properties must be a map, not empty");
        }

        String type = config.databaseConfiguration.databaseType;
        range(errors, config.databaseConfiguration.maxRetryBackoff, 1, 300, "databaseConfiguration.maxRetryBackoff");
        if ("influxdb".equals(type)) {
            validateInflux(errors, config.influxDB);
        } else if ("file".equals(type)) {
            notBlank(errors, config.file.path, "file.path");
        } else {
            errors.add("databaseConfiguration.databaseType must be influxdb or file, not '" + type + "'");
        }

        range(errors, config.server.adminPort, 0, 65535, "server.adminPort");
        notBlank(errors, config.server.adminHost, "server.adminHost");
        return errors;
    }

    private static void validateInflux(List<String> errors, PersisterConfig.InfluxDbConfig influx) {
        if (notBlank(errors, influx.url, "influxDB.url")) {
            try {
                URI uri = new URI(influx.url);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    errors.add("influxDB.url must be an http:// or https:// URL with a host, not '" + influx.url + "'");
                }
            } catch (Exception e) {
                errors.add("influxDB.url is not a URL: '" + influx.url + "'");
            }
        }
        notBlank(errors, influx.name, "influxDB.name");
        if (influx.retentionPolicy == null) {
            errors.add("influxDB.retentionPolicy must be a string (empty for the default)");
        }
        range(errors, influx.writeTimeout, 1, 600, "influxDB.writeTimeout");
        if (influx.user == null || influx.password == null) {
            errors.add("influxDB.user and influxDB.password must be strings (empty for no authentication)");
        }
    }

    private static boolean nullSection(List<String> errors, Object section, String key) {
        if (section == null) {
            errors.add(key + " must be a section, not empty");
            return true;
        }
        return false;
    }

    private static boolean notBlank(List<String> errors, String value, String key) {
        if (value == null || value.isBlank()) {
            errors.add(key + " must not be empty");
            return false;
        }
        return true;
    }

    private static void range(List<String> errors, int value, int min, int max, String key) {
        if (value < min || value > max) {
            errors.add(key + " must be between " + min + " and " + max + ", not " + value);
        }
    }
}
