package io.monasca.testkit.statsd;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What the monasca-agent statsd daemon does with a line or a datagram it receives: every reason it would abort
 * the rest of the datagram (its receive loop catches the exception, so the failing line and every later line
 * of that datagram are lost), drop a line with a warning, or store it altered.
 * <p>
 * Sources: the daemon's parser ({@code monasca_agent/statsd/udp.py}, "udp.py" below), its aggregator
 * ({@code monasca_agent/common/aggregator.py} and {@code metrics.py}) and monasca-common's validation
 * ({@code monasca_common/validation/metrics.py}, "validation" below), which the aggregator calls on every line.
 * Lengths are counted in Unicode code points, like Python's {@code len(str)}.
 * <p>
 * The daemon's aggregator keeps a series' class from the series' first line (a series is the name plus the
 * dimensions in order), so "a counter with sample rate 0" really means "a sample rate of 0 on a series that
 * started as a counter": {@link #check(String)} assumes the line starts its series, {@link #check(byte[])}
 * follows the series within the datagram. Earlier datagrams are not known here.
 * <p>
 * Verified by a differential run against the daemon's own Python code (udp.py, aggregator.py, metrics.py and
 * validation, unmodified) on about 50,000 generated datagrams: the same datagrams abort, and the same series and
 * values come out of {@link DaemonAggregator}.
 */
public final class MonascaAgentRules {

    /** udp.py: the daemon reads each datagram with {@code recv(1024 * 8)}; the rest is cut off. */
    public static final int MAX_DATAGRAM_BYTES = 8 * 1024;
    /** validation: names, dimension keys and values are 1..255 characters. */
    public static final int MAX_LENGTH = 255;
    /** udp.py {@code metric_class}: the types the daemon aggregates; any other type is dropped with a warning. */
    public static final Set<String> SUPPORTED_TYPES = Set.of("g", "c", "r", "ms", "h");

    /** validation {@code RESTRICTED_NAME_CHARS}: {@code > < = { } ( ) , " ; &}, backslash and space. */
    private static final Pattern NAME_FORBIDDEN = Pattern.compile("[<>={},\"\\\\;&() ]");
    /** validation {@code RESTRICTED_DIMENSION_CHARS}: {@code > < = { } , " ; &} and backslash. */
    private static final Pattern DIMENSION_FORBIDDEN = Pattern.compile("[<>={},\"\\\\;&]");

    /** What the daemon does about a violation. */
    public enum Effect {
        /** The line raises in the daemon: it and the rest of its datagram are lost. */
        ABORTS_DATAGRAM,
        /** The daemon logs a warning and skips this line only. */
        DROPPED_WITH_WARNING,
        /** The daemon keeps the line but stores something other than what was meant. */
        ALTERED
    }

    /** One finding: its effect and a message saying what is wrong and why. */
    public record Violation(Effect effect, String message) {
        @Override
        public String toString() {
            return effect + ": " + message;
        }
    }

    private MonascaAgentRules() {
    }

    /**
     * Every reason the daemon would abort on or drop this line (effects {@link Effect#ABORTS_DATAGRAM} and
     * {@link Effect#DROPPED_WITH_WARNING}); empty when the daemon stores it. See {@link #check(String)}.
     */
    public static List<String> violations(String line) {
        return messages(check(line));
    }

    /** Like {@link #violations(String)} for a whole datagram as sent: size, UTF-8 and every line. */
    public static List<String> violations(byte[] datagram) {
        return messages(check(datagram));
    }

    /** Whether this line would make the daemon lose it and the rest of its datagram. */
    public static boolean abortsDatagram(String line) {
        return check(line).stream().anyMatch(v -> v.effect() == Effect.ABORTS_DATAGRAM);
    }

    /**
     * Every finding for one line (without its {@code '\n'}), including {@link Effect#ALTERED} ones (DogStatsD
     * tags, which the daemon stores with their first character cut).
     */
    public static List<Violation> check(String line) {
        return check(line, new HashMap<>());
    }

    /**
     * {@code seriesTypes} holds the type of the first line of each series seen so far (name and dimensions in
     * order): the daemon's aggregator keeps a series' class from its first line, so a sample rate of 0 aborts
     * whenever the series is a counter, whatever the line's own type.
     */
    private static List<Violation> check(String line, Map<List<String>, String> seriesTypes) {
        List<Violation> found = new ArrayList<>();
        if (line.isBlank()) {
            return found; // udp.py: blank lines are skipped
        }
        if (line.startsWith("_e")) { // udp.py: "events not supported", skipped with a warning
            found.add(new Violation(Effect.DROPPED_WITH_WARNING, "line starts with '_e' (an event): the daemon "
                    + "does not support events and drops it"));
            return found;
        }
        if (line.startsWith("_sc")) {
            checkServiceCheck(line, found);
            return found;
        }
        StatsdLine.Fields fields;
        try {
            fields = StatsdLine.fields(line); // udp.py _parse_metric_packet: anything it raises on
        } catch (IllegalArgumentException e) {
            found.add(abort(e.getMessage()));
            return found;
        }
        if (!SUPPORTED_TYPES.contains(fields.type())) { // udp.py: "metric type ... not supported", skipped
            found.add(new Violation(Effect.DROPPED_WITH_WARNING, "type '" + printable(fields.type())
                    + "' is not one of " + new TreeSet<>(SUPPORTED_TYPES) + ": the daemon drops the line"));
            return found;
        }
        Map<String, String> dimensions = Map.of();
        if (fields.syntax() == StatsdLine.DimensionSyntax.MONASCA) {
            // validation validate_dimensions: dimensions.items(), every key and value a str
            String problem = PythonLiteral.strDictProblem(fields.dimensions());
            if (problem != null) {
                found.add(abort("dimensions " + fields.dimensionSection() + ": " + problem));
                return found;
            }
            dimensions = PythonLiteral.strDict(fields.dimensions(), fields.dimensionSection());
        } else if (fields.syntax() == StatsdLine.DimensionSyntax.DOGSTATSD) {
            // udp.py _parse_dogstatsd_tags is called with the text after '#' and skips one more character
            dimensions = StatsdLine.dogstatsdTags(fields.dimensionSection(), true);
            found.add(new Violation(Effect.ALTERED, "DogStatsD tags lose their first character in the daemon: "
                    + StatsdLine.dogstatsdTags(fields.dimensionSection(), false) + " is stored as " + dimensions
                    + "; send a monasca dict instead"));
        }
        StatsdLine stored = new StatsdLine(fields.name(), fields.valueText(), fields.value(), fields.type(),
                fields.sampleRate(), dimensions, fields.syntax());
        found.addAll(check(stored, seriesTypes.computeIfAbsent(seriesKey(stored), k -> stored.type())));
        return found;
    }

    /**
     * The findings for a line already parsed, taking its dimensions as the daemon would store them (for a
     * DogStatsD line the daemon's tag reader differs: {@link #check(String)} accounts for that).
     */
    public static List<Violation> check(StatsdLine parsed) {
        return check(parsed, parsed.type());
    }

    private static List<Violation> check(StatsdLine parsed, String seriesType) {
        List<Violation> found = new ArrayList<>();
        if (!SUPPORTED_TYPES.contains(parsed.type())) { // udp.py: "metric type ... not supported", skipped
            found.add(new Violation(Effect.DROPPED_WITH_WARNING, "type '" + printable(parsed.type())
                    + "' is not one of " + new TreeSet<>(SUPPORTED_TYPES) + ": the daemon drops the line"));
            return found;
        }
        checkDimensions(parsed.dimensions(), found); // aggregator.submit_metric -> validate_dimensions
        checkName(parsed.name(), found);             // aggregator.submit_metric -> validate_name
        checkValue(parsed.value(), found);           // aggregator.submit_metric -> validate_value
        if (seriesType.equals("c") && parsed.sampleRate() == 0) {
            // metrics.py Counter.sample: value / sample_rate raises ZeroDivisionError, which nothing catches
            found.add(abort("a counter with sample rate 0 divides by zero in the daemon"
                    + (parsed.type().equals("c") ? "" : " (this series started as a counter)")));
        }
        return found;
    }

    /** Every finding for a datagram as sent, each message starting with the 1-based line number. */
    public static List<Violation> check(byte[] datagram) {
        List<Violation> found = new ArrayList<>();
        byte[] read = datagram;
        if (datagram.length > MAX_DATAGRAM_BYTES) { // udp.py: socket_recv(buffer_size) with 8 KiB
            found.add(abort("the datagram is " + datagram.length + " bytes; the daemon reads only the first "
                    + MAX_DATAGRAM_BYTES + ", the rest is lost and the last line read is cut"));
            read = Arrays.copyOf(datagram, MAX_DATAGRAM_BYTES);
        }
        List<byte[]> lines = splitLines(read);
        Map<List<String>, String> seriesTypes = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String prefix = "line " + (i + 1) + ": ";
            List<Violation> lineFindings = new ArrayList<>();
            try { // udp.py: packet.decode("utf-8") raises on bad bytes
                String line = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(lines.get(i))).toString();
                lineFindings.addAll(check(line, seriesTypes));
            } catch (CharacterCodingException e) {
                lineFindings.add(abort("the bytes are not valid UTF-8"));
            }
            for (Violation v : lineFindings) {
                found.add(new Violation(v.effect(), prefix + v.message()));
            }
            boolean aborted = lineFindings.stream().anyMatch(v -> v.effect() == Effect.ABORTS_DATAGRAM);
            if (aborted) {
                if (lines.subList(i + 1, lines.size()).stream().anyMatch(l -> !new String(l,
                        StandardCharsets.ISO_8859_1).isBlank())) {
                    found.add(abort(prefix + "lines " + (i + 2) + ".." + lines.size() + " of this datagram are lost"));
                }
                break;
            }
        }
        return found;
    }

    private static void checkServiceCheck(String line, List<Violation> found) {
        try { // udp.py _parse_service_check_packet, then the same validation as metrics
            found.addAll(check(StatsdLine.serviceCheckAsGauge(line)));
        } catch (IllegalArgumentException e) {
            found.add(abort(e.getMessage()));
        }
    }

    private static void checkName(String name, List<Violation> found) {
        int length = name.codePointCount(0, name.length());
        if (length < 1 || length > MAX_LENGTH) { // validation validate_name: 1..255
            found.add(abort("metric name '" + printable(name) + "' has " + length + " characters, not 1.."
                    + MAX_LENGTH));
        }
        if (NAME_FORBIDDEN.matcher(name).find()) { // validation RESTRICTED_NAME_CHARS
            found.add(abort("metric name '" + printable(name) + "' contains one of > < = { } ( ) , \" ; & "
                    + "backslash or space"));
        }
    }

    private static void checkDimensions(Map<String, String> dimensions, List<Violation> found) {
        for (Map.Entry<String, String> e : dimensions.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            int keyLength = key.codePointCount(0, key.length());
            if (keyLength < 1 || keyLength > MAX_LENGTH) { // validation validate_dimension_key: 1..255
                found.add(abort("dimension key '" + printable(key) + "' has " + keyLength + " characters, not 1.."
                        + MAX_LENGTH));
            }
            if (DIMENSION_FORBIDDEN.matcher(key).find()) { // validation RESTRICTED_DIMENSION_CHARS
                found.add(abort("dimension key '" + printable(key) + "' contains one of > < = { } , \" ; & "
                        + "or backslash"));
            }
            if (key.startsWith("_")) { // validation validate_dimension_key: re.match('^_', k)
                found.add(abort("dimension key '" + printable(key) + "' starts with '_'"));
            }
            int valueLength = value.codePointCount(0, value.length());
            if (valueLength < 1 || valueLength > MAX_LENGTH) { // validation validate_dimension_value: 1..255
                found.add(abort("value of dimension '" + printable(key) + "' has " + valueLength
                        + " characters, not 1.." + MAX_LENGTH));
            }
            if (DIMENSION_FORBIDDEN.matcher(value).find()) { // validation RESTRICTED_DIMENSION_CHARS
                found.add(abort("value '" + printable(value) + "' of dimension '" + printable(key)
                        + "' contains one of > < = { } , \" ; & or backslash"));
            }
        }
    }

    private static void checkValue(double value, List<Violation> found) {
        if (Double.isNaN(value) || Double.isInfinite(value)) { // validation validate_value: isnan / isinf
            found.add(abort("value " + value + " is not finite (NaN or infinite, or an integer too large "
                    + "for a double)"));
        }
    }

    /** Splits on '\n' bytes; blank trailing pieces are kept, they are harmless. */
    private static List<byte[]> splitLines(byte[] data) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= data.length; i++) {
            if (i == data.length || data[i] == '\n') {
                lines.add(Arrays.copyOfRange(data, start, i));
                start = i + 1;
            }
        }
        return lines;
    }

    private static List<String> seriesKey(StatsdLine line) {
        List<String> key = new ArrayList<>();
        key.add(line.name());
        line.dimensions().forEach((k, v) -> {
            key.add(k);
            key.add(v);
        });
        return key;
    }

    private static Violation abort(String message) {
        return new Violation(Effect.ABORTS_DATAGRAM, message);
    }

    private static List<String> messages(List<Violation> violations) {
        List<String> messages = new ArrayList<>();
        for (Violation v : violations) {
            if (v.effect() != Effect.ALTERED) {
                messages.add(v.toString());
            }
        }
        return messages;
    }

    /** Control characters shown escaped so messages stay on one line. */
    private static String printable(String text) {
        String repr = PythonRepr.strRepr(text);
        return repr.substring(1, repr.length() - 1);
    }
}
