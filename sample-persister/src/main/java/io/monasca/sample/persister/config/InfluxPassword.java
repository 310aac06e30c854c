package io.monasca.sample.persister.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The InfluxDB password and where it came from: {@code influxDB.passwordFile} (its first line), else the environment
 * variable {@value #ENVIRONMENT_VARIABLE} when the config has no {@code influxDB.password}, else that key. The value
 * is never part of a message or of {@link #toString()}.
 */
public record InfluxPassword(String value, String source) {

    /** The variable the influx 1.x CLI reads too. */
    public static final String ENVIRONMENT_VARIABLE = "INFLUX_PASSWORD";

    public static InfluxPassword resolve(PersisterConfig.InfluxDbConfig influx, Map<String, String> environment)
            throws ConfigException {
        String file = influx.passwordFile == null ? "" : influx.passwordFile;
        String inline = influx.password == null ? "" : influx.password;
        if (!file.isEmpty()) {
            if (!inline.isEmpty()) {
                throw new ConfigException("influxDB.password and influxDB.passwordFile are both set: keep only "
                        + "influxDB.passwordFile");
            }
            return new InfluxPassword(firstLine(Path.of(file)), "file " + file);
        }
        String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
        if (inline.isEmpty() && fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return new InfluxPassword(fromEnvironment, "environment variable " + ENVIRONMENT_VARIABLE);
        }
        return new InfluxPassword(inline, inline.isEmpty() ? "none" : "influxDB.password in the config file");
    }

    private static String firstLine(Path file) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            // The exception's message is only the path or the reason, never the content.
            throw new ConfigException("influxDB.passwordFile " + file + " cannot be read: "
                    + e.getClass().getSimpleName());
        }
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
            throw new ConfigException("influxDB.passwordFile " + file + " is empty: its first line is the password");
        }
        return lines.get(0);
    }

    @Override
    public String toString() {
        return "password from " + source;
    }
}
