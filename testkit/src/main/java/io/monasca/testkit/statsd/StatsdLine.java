package io.monasca.testkit.statsd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One statsd metric line, {@code name:value|type[|@rate][|#dimensions]}, read the way the monasca-agent statsd
 * daemon reads it ({@code monasca_agent/statsd/udp.py}, {@code _parse_metric_packet}):
 * <ul>
 *   <li>the name is everything before the first {@code ':'}; the rest is split on every {@code '|'} (so a
 *       {@code '|'} inside a quoted dimension breaks the line, as in the daemon);</li>
 *   <li>the value is Python {@code int()}, else {@code float()} of the text ({@code nan}/{@code inf} parse:
 *       validation rejects them later, see {@link MonascaAgentRules}); type {@code s} keeps any text;</li>
 *   <li>later fields: {@code @rate} (a float in 0..1), {@code #{...}} a Python dict literal (syntax
 *       {@link DimensionSyntax#MONASCA}), {@code #k:v,k2:v2} DogStatsD tags ({@link DimensionSyntax#DOGSTATSD},
 *       read as the daemon means to, without its lost-first-character bug); a {@code #} field of two characters
 *       or less and fields starting with anything else are ignored, like the daemon does; the last
 *       {@code @} / {@code #} field wins; an empty field is an error (the daemon fails on it).</li>
 * </ul>
 * Validation of names, dimensions and values is not done here: see {@link MonascaAgentRules}.
 *
 * @param name       the metric name as sent
 * @param valueText  the value field exactly as sent
 * @param value      the parsed value ({@code NaN} for a non-numeric {@code s} value)
 * @param type       the type field as sent: {@code c}, {@code g}, {@code ms}, {@code h}, {@code r}, {@code s}, ...
 * @param sampleRate the {@code @} rate, 1.0 when absent
 * @param dimensions the dimensions in the order sent (unmodifiable; empty when none)
 * @param dimensionSyntax how the dimensions were written
 */
public record StatsdLine(String name, String valueText, double value, String type, double sampleRate,
                         Map<String, String> dimensions, DimensionSyntax dimensionSyntax) {

    /** How the dimension section was written. */
    public enum DimensionSyntax {
        /** No dimension section. */
        NONE,
        /** monasca-statsd: a Python dict literal, {@code |#{'k': 'v', 'k2': 'v2'}}. */
        MONASCA,
        /** DogStatsD tags, {@code |#k:v,k2:v2}. */
        DOGSTATSD
    }

    public StatsdLine {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(valueText, "valueText");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(dimensionSyntax, "dimensionSyntax");
        dimensions = Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
    }

    /**
     * Parses one line (no line break).
     *
     * @throws IllegalArgumentException naming what is wrong, for every line the daemon's parser fails on, and
     *                                  for blank lines, events ({@code _e...}) and service checks ({@code _sc...}),
     *                                  which are not metric lines
     */
    public static StatsdLine parse(String line) {
        Fields f = fields(line);
        Map<String, String> dimensions = Map.of();
        if (f.syntax() == DimensionSyntax.MONASCA) {
            try {
                dimensions = PythonLiteral.strDict(f.dimensions(), f.dimensionSection());
            } catch (IllegalArgumentException e) {
                throw invalid(line, e.getMessage() + " (the daemon's validation rejects that)");
            }
        } else if (f.syntax() == DimensionSyntax.DOGSTATSD) {
            dimensions = dogstatsdTags(f.dimensionSection(), false);
        }
        return new StatsdLine(f.name(), f.valueText(), f.value(), f.type(), f.sampleRate(), dimensions, f.syntax());
    }

    /**
     * The fields of a metric line as the daemon's parser sees them, before validation.
     *
     * @param dimensions       for MONASCA the value {@code ast.literal_eval} gives (a dict or a set, maybe with
     *                         non-str items), else null
     * @param dimensionSection the text after {@code '#'} of the dimension field used (the last one), or null
     */
    record Fields(String name, String valueText, double value, String type, double sampleRate, Object dimensions,
                  DimensionSyntax syntax, String dimensionSection) {
    }

    /**
     * A service check line, {@code _sc|name|status[|#tags...]}, as the gauge the daemon makes of it
     * ({@code _parse_service_check_packet}: value = int(status), tags read with the DogStatsD reader, whose
     * skipped first character is the {@code '#'} here). Throws where the daemon raises.
     */
    static StatsdLine serviceCheckAsGauge(String line) {
        String[] parts = line.split("\\|", -1);
        if (parts.length < 3) {
            throw invalid(line, "a service check needs _sc|name|status");
        }
        java.math.BigInteger status = PythonNumber.parseInt(parts[2]);
        if (status == null) {
            throw invalid(line, "the service check status '" + parts[2] + "' is not an integer");
        }
        Map<String, String> tags = Map.of();
        for (int i = 3; i < parts.length; i++) {
            if (parts[i].startsWith("#")) {
                tags = dogstatsdTags(parts[i], true);
            }
        }
        return new StatsdLine(parts[1], parts[2], status.doubleValue(), "g", 1.0, tags, DimensionSyntax.DOGSTATSD);
    }

    /** Reads a line like the daemon's {@code _parse_metric_packet}; throws where it raises. */
    static Fields fields(String line) {
        if (line.indexOf('\n') >= 0) {
            throw invalid(line, "it contains a line break; use parseDatagram for several lines");
        }
        if (line.isBlank()) {
            throw invalid(line, "the line is blank");
        }
        if (line.startsWith("_e")) {
            throw invalid(line, "it starts with '_e', an event, which the daemon drops");
        }
        if (line.startsWith("_sc")) {
            throw invalid(line, "it starts with '_sc', a service check, not a metric line");
        }
        int colon = line.indexOf(':'); // udp.py: packet.split(':', 1), so a name never holds ':'
        if (colon < 0) {
            throw invalid(line, "no ':' between name and value");
        }
        String name = line.substring(0, colon);
        String[] fields = line.substring(colon + 1).split("\\|", -1);
        if (fields.length < 2) { // udp.py: "Unparseable metric packet"
            throw invalid(line, "no '|type' after the value");
        }
        String valueText = fields[0];
        String type = fields[1];
        Double value = PythonNumber.parseIntThenFloat(valueText);
        if (value == null) {
            if (!type.equals("s")) { // udp.py: int(), then float(), else "Metric value must be a number"
                throw invalid(line, "the value '" + valueText + "' is not a number");
            }
            value = Double.NaN;
        }
        double sampleRate = 1.0;
        Object dimensions = null;
        String section = null;
        DimensionSyntax syntax = DimensionSyntax.NONE;
        for (int i = 2; i < fields.length; i++) {
            String field = fields[i];
            if (field.isEmpty()) { // udp.py: m[0] raises IndexError
                throw invalid(line, "field " + (i + 1) + " after '|' is empty");
            }
            if (field.charAt(0) == '@') {
                Double rate = PythonNumber.parseFloat(field.substring(1));
                if (rate == null) {
                    throw invalid(line, "the sample rate '" + field.substring(1) + "' is not a number");
                }
                if (!(rate >= 0 && rate <= 1)) { // udp.py: assert 0 <= sample_rate <= 1
                    throw invalid(line, "the sample rate " + field.substring(1) + " is not within 0..1");
                }
                sampleRate = rate;
            } else if (field.charAt(0) == '#' && field.length() > 2) {
                section = field.substring(1);
                if (section.charAt(0) == '{') { // udp.py: ast.literal_eval; what it gives is validated later
                    try {
                        dimensions = PythonLiteral.parse(section);
                    } catch (IllegalArgumentException e) {
                        throw invalid(line, e.getMessage());
                    }
                    syntax = DimensionSyntax.MONASCA;
                } else {
                    dimensions = null;
                    syntax = DimensionSyntax.DOGSTATSD;
                }
            }
        }
        return new Fields(name, valueText, value, type, sampleRate, dimensions, syntax, section);
    }

    /** Splits a datagram's text on {@code '\n'} and parses every non-blank line (blank ones are skipped). */
    public static List<StatsdLine> parseDatagram(String payload) {
        List<StatsdLine> lines = new ArrayList<>();
        for (String line : payload.split("\n", -1)) {
            if (!line.isBlank()) {
                lines.add(parse(line));
            }
        }
        return lines;
    }

    /**
     * The daemon's DogStatsD tag reader: {@code k:v} pairs split on {@code ','}, each key and value trimmed,
     * the key being the text before the last {@code ':'} of the pair; a pair with an empty value gets
     * {@code "?"}, a tag without {@code ':'} gets {@code "True"}. With {@code dropFirstChar} it reproduces the
     * daemon's bug of skipping the first character of the section.
     */
    static LinkedHashMap<String, String> dogstatsdTags(String section, boolean dropFirstChar) {
        LinkedHashMap<String, String> tags = new LinkedHashMap<>();
        StringBuilder s = new StringBuilder();
        String key = "";
        String text = dropFirstChar ? section.substring(1) : section;
        for (char c : text.toCharArray()) {
            if (c == ':') {
                key = s.toString().strip();
                s.setLength(0);
            } else if (c == ',') {
                String v = s.toString().strip();
                if (!key.isEmpty()) {
                    tags.put(key, v.isEmpty() ? "?" : v);
                } else if (!v.isEmpty()) {
                    tags.put(v, "True");
                }
                key = "";
                s.setLength(0);
            } else {
                s.append(c);
            }
        }
        String v = s.toString().strip();
        if (!v.isEmpty() && !key.isEmpty()) {
            tags.put(key, v);
        }
        return tags;
    }

    /**
     * This line written back in its own syntax: name, value text and type as sent, {@code |@rate} when not 1
     * (Python {@code str(float)}), then the dimensions as a Python dict ({@code str(dict)}, what monasca-statsd
     * writes) or as {@code k:v} tags. Equal to the parsed text for lines written that way.
     */
    public String toWireString() {
        StringBuilder out = new StringBuilder(name).append(':').append(valueText).append('|').append(type);
        if (sampleRate != 1.0) {
            out.append("|@").append(PythonRepr.floatStr(sampleRate));
        }
        if (dimensionSyntax == DimensionSyntax.MONASCA) {
            out.append("|#").append(PythonRepr.dictRepr(dimensions));
        } else if (dimensionSyntax == DimensionSyntax.DOGSTATSD) {
            StringBuilder tags = new StringBuilder();
            dimensions.forEach((k, v) -> tags.append(tags.length() == 0 ? "" : ",").append(k).append(':').append(v));
            out.append("|#").append(tags);
        }
        return out.toString();
    }

    /** Whether every entry of {@code filter} is among this line's dimensions. */
    public boolean hasDimensions(Map<String, String> filter) {
        return filter.entrySet().stream().allMatch(e -> e.getValue().equals(dimensions.get(e.getKey())));
    }

    private static IllegalArgumentException invalid(String line, String problem) {
        return new IllegalArgumentException("unparseable statsd line \"" + line + "\": " + problem);
    }
}
