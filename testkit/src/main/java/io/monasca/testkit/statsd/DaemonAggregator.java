package io.monasca.testkit.statsd;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Aggregates statsd lines per flush interval the way the monasca-agent statsd daemon does
 * ({@code monasca_agent/common/aggregator.py} {@code MetricsAggregator} and {@code metrics.py}):
 * <ul>
 *   <li>a series is the name plus the dimensions <em>in the order sent</em> (the same dimensions in another
 *       order are another series), after adding {@code hostname} at the end when it is absent and a hostname
 *       is configured;</li>
 *   <li>a series keeps the kind of its first line: {@code c} is a {@link Kind#COUNTER} (each value divided by
 *       its sample rate and summed; the flushed value is truncated to an integer like Python's {@code int()}),
 *       {@code g}, {@code ms} and {@code h} are a {@link Kind#GAUGE} (last value wins), {@code r} is a
 *       {@link Kind#RATE} (change of value per second between the first and the latest sample);</li>
 *   <li>{@link #flush()} returns one measurement per series that got a sample since the last flush (no zeros
 *       for idle counters) and starts a new interval;</li>
 *   <li>lines the daemon rejects are rejected here too ({@link MonascaAgentRules#check(StatsdLine)}).</li>
 * </ul>
 * Service checks ({@code _sc|name|status|#tags}) become gauges of their status, as in the daemon. Thread-safe: meant for one receiving thread and one
 * flushing thread (both lock this object briefly).
 */
public final class DaemonAggregator {

    /** The daemon's metric classes. */
    public enum Kind { COUNTER, GAUGE, RATE }

    /**
     * One flushed value.
     *
     * @param name            metric name
     * @param dimensions      dimensions in series order (with the added hostname), unmodifiable
     * @param value           the interval's value (whole number for counters)
     * @param kind            how it was aggregated
     * @param timestampMillis when the series' last sample arrived, like the daemon's measurement timestamp
     */
    public record Measurement(String name, Map<String, String> dimensions, double value, Kind kind,
                              long timestampMillis) {
        public Measurement {
            dimensions = Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
        }
    }

    /**
     * What happened to one datagram's lines.
     *
     * @param accepted   lines aggregated
     * @param dropped    lines skipped with a warning (unsupported type, events)
     * @param lost       lines not processed because an earlier line aborted the datagram
     * @param abortedBy  why the daemon would abort the datagram, or null when it did not
     */
    public record DatagramResult(int accepted, int dropped, int lost, String abortedBy) {
    }

    private final String hostname;
    private final LongSupplier clockMillis;
    private final Map<SeriesKey, Series> series = new LinkedHashMap<>();

    /** @param hostname added as the {@code hostname} dimension when a line has none; null to add nothing */
    public DaemonAggregator(String hostname) {
        this(hostname, System::currentTimeMillis);
    }

    /** Like {@link #DaemonAggregator(String)} with a clock for the sample timestamps (milliseconds). */
    public DaemonAggregator(String hostname, LongSupplier clockMillis) {
        this.hostname = hostname;
        this.clockMillis = clockMillis;
    }

    /**
     * Adds one line to the current interval.
     *
     * @return false when the daemon would skip it with a warning (a type other than g, c, r, ms, h)
     * @throws IllegalArgumentException when the daemon would reject it and abort the rest of its datagram
     */
    public synchronized boolean submit(StatsdLine line) {
        if (!MonascaAgentRules.SUPPORTED_TYPES.contains(line.type())) {
            return false;
        }
        Map<String, String> dimensions = line.dimensions();
        if (hostname != null && !dimensions.containsKey("hostname")) {
            dimensions = new LinkedHashMap<>(dimensions);
            dimensions.put("hostname", hostname);
        }
        SeriesKey key = new SeriesKey(line.name(), flatten(dimensions));
        Series s = series.get(key);
        if (s == null || !Double.isFinite(line.value()) || line.sampleRate() == 0) {
            // name and dimensions of a known series were checked when it was created
            for (MonascaAgentRules.Violation v : MonascaAgentRules.check(line)) {
                throw new IllegalArgumentException("the monasca-agent statsd daemon rejects "
                        + line.toWireString() + ": " + v.message());
            }
        }
        if (s == null) {
            s = new Series(line.name(), dimensions, kindOf(line.type()));
            series.put(key, s);
        }
        if (s.kind == Kind.COUNTER && line.sampleRate() == 0) { // the series' class decides, not the line's type
            throw new IllegalArgumentException("the monasca-agent statsd daemon divides by zero on "
                    + line.toWireString() + ": series " + line.name() + " is a counter and the sample rate is 0");
        }
        s.sample(line.value(), line.sampleRate(), clockMillis.getAsLong());
        return true;
    }

    /**
     * Feeds a whole datagram like the daemon's receive loop: lines split on {@code '\n'}, each decoded as
     * UTF-8; blank lines skipped; the first line that fails (bad UTF-8, unparseable, invalid) stops the
     * datagram. Bytes past {@link MonascaAgentRules#MAX_DATAGRAM_BYTES} are ignored, as the daemon never reads
     * them.
     */
    public DatagramResult submitDatagram(byte[] data, int offset, int length) {
        int end = offset + Math.min(length, MonascaAgentRules.MAX_DATAGRAM_BYTES);
        int accepted = 0;
        int dropped = 0;
        int start = offset;
        while (start <= end) {
            int newline = start;
            while (newline < end && data[newline] != '\n') {
                newline++;
            }
            String abort = null;
            try {
                String text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(data, start, newline - start)).toString();
                if (text.isBlank()) {
                    // skipped, like the daemon
                } else if (text.startsWith("_e")) {
                    dropped++;
                } else if (text.startsWith("_sc")) {
                    submit(StatsdLine.serviceCheckAsGauge(text));
                    accepted++;
                } else if (submit(StatsdLine.parse(text))) {
                    accepted++;
                } else {
                    dropped++;
                }
            } catch (CharacterCodingException e) {
                abort = "a line is not valid UTF-8";
            } catch (IllegalArgumentException e) {
                abort = e.getMessage();
            }
            if (abort != null) {
                return new DatagramResult(accepted, dropped, countLines(data, newline + 1, end), abort);
            }
            start = newline + 1;
        }
        return new DatagramResult(accepted, dropped, 0, null);
    }

    /** The measurements of the interval that ends now, in the order the series first appeared. */
    public synchronized List<Measurement> flush() {
        List<Measurement> out = new ArrayList<>();
        for (Series s : series.values()) {
            Measurement m = s.flush();
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    /** How many series exist (they are kept across intervals, as in the daemon). */
    public synchronized int seriesCount() {
        return series.size();
    }

    private static Kind kindOf(String type) {
        switch (type) {
            case "c": return Kind.COUNTER;
            case "r": return Kind.RATE;
            default: return Kind.GAUGE; // g, ms, h
        }
    }

    private static List<String> flatten(Map<String, String> dimensions) {
        List<String> flat = new ArrayList<>(dimensions.size() * 2);
        dimensions.forEach((k, v) -> {
            flat.add(k);
            flat.add(v);
        });
        return flat;
    }

    private static int countLines(byte[] data, int from, int end) {
        int count = 0;
        int start = from;
        while (start <= end) {
            int newline = start;
            boolean blank = true;
            while (newline < end && data[newline] != '\n') {
                blank &= data[newline] == ' ' || data[newline] == '\t' || data[newline] == '\r';
                newline++;
            }
            count += blank ? 0 : 1;
            start = newline + 1;
        }
        return count;
    }

    private record SeriesKey(String name, List<String> dimensions) {
    }

    /** One series' state, like the daemon's Counter / Gauge / Rate objects. */
    private static final class Series {
        private final String name;
        private final Map<String, String> dimensions;
        private final Kind kind;
        private boolean sampled;
        private double value;
        private long timestamp;
        // RATE only: the first sample, kept across intervals until a second one arrives
        private boolean started;
        private double startValue;
        private long startTimestamp;

        Series(String name, Map<String, String> dimensions, Kind kind) {
            this.name = name;
            this.dimensions = dimensions;
            this.kind = kind;
        }

        void sample(double v, double sampleRate, long now) {
            switch (kind) {
                case COUNTER:
                    value = (sampled ? value : 0) + v / sampleRate;
                    break;
                case GAUGE:
                    value = v;
                    break;
                default: // RATE: the first sample ever starts the series, later ones move its end
                    if (!started) {
                        started = true;
                        startValue = v;
                        startTimestamp = now;
                        return;
                    }
                    value = v;
            }
            sampled = true;
            timestamp = now;
        }

        Measurement flush() {
            if (!sampled) {
                return null;
            }
            double flushed = value;
            if (kind == Kind.COUNTER) {
                flushed = (long) value; // Python int(): toward zero
            } else if (kind == Kind.RATE) {
                if (timestamp == startTimestamp) { // the daemon logs a conflict and keeps the value
                    startValue = value;
                    return null;
                }
                flushed = (value - startValue) / ((timestamp - startTimestamp) / 1000.0);
                startValue = value;
                startTimestamp = timestamp;
            }
            sampled = false;
            return new Measurement(name, dimensions, flushed, kind, timestamp);
        }
    }
}
