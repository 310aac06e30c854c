package io.monasca.testkit.statsd;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The exact wire output of the reference client, monasca-statsd ({@code monascastatsd} 2.5.0, Debian package
 * {@code python3-monasca-statsd}), run by Debian's own Python as a subprocess and received on a real
 * {@link StatsdReceiver}, so a Java sender can be compared with it byte for byte.
 * <p>
 * What the client does (checked against 2.5.0): a line is {@code str(name) + ":" + str(value) + "|" + type},
 * then {@code "|@" + str(rate)} when {@code rate != 1}, then {@code "|#" + str(dimensions)} when the dict is not
 * empty. So an int value is written as is ({@code 3}, {@code -1}), a float with Python's {@code str(float)}
 * ({@code 2.0}, {@code 0.1}, {@code 1e-05}, {@code 1.5e+16}, {@code nan}, {@code inf}; see
 * {@link PythonRepr#floatStr}); dimensions keep the dict's insertion order and are written with
 * {@code repr()} of each str ({@code {'k': 'v', 'k2': "it's"}}; see {@link PythonRepr#dictRepr}). Nothing is
 * escaped or validated. Timers ({@code timing}) are plain {@code g} lines. In buffered mode lines are joined with
 * {@code '\n'} and sent every {@code max_buffer_size} lines; closing the buffer sends what is left, even an empty
 * datagram when nothing is left. A sample rate below 1 makes the client drop calls at random: the oracle
 * replaces {@code random.random} so every call is sent.
 * <p>
 * The interpreter is Debian's {@code python3} (found with {@code dpkg -L python3-minimal}, normally
 * {@code /usr/bin/python3}), or the system property {@code monasca.statsd.python}; it runs isolated
 * ({@code -I}) so no other Python setup leaks in.
 */
public final class MonascaStatsdOracle {

    /** What to tell a user when the reference client is missing. */
    public static final String INSTALL_HINT =
            "python3-monasca-statsd not installed: apt-get install -y python3-monasca-statsd";

    /** The Python side: sends what stdin describes through monascastatsd, then the marker datagram. */
    private static final String SCRIPT = """
            # Sends the metrics described on stdin through the reference monasca-statsd client (monascastatsd), to
            # 127.0.0.1:<port>, then a marker datagram. One metric per line, tab-separated:
            #   KIND  name-hex  value  rate  [key-hex=value-hex ...]
            # KIND is COUNTER, GAUGE or TIMER; strings are hex of their UTF-8 bytes; numbers are "i<int>" or
            # "f<float.hex()>" so Python gets exactly the int or float the Java side meant.
            import random
            import socket
            import sys

            import monascastatsd

            # With a sample rate below 1 the client sends only when random.random() <= rate: make it always send.
            random.random = lambda: 0.0


            def text(hex_utf8):
                return bytes.fromhex(hex_utf8).decode('utf-8')


            def number(field):
                return int(field[1:]) if field[0] == 'i' else float.fromhex(field[1:])


            port = int(sys.argv[1])
            buffer_size = int(sys.argv[2])  # 0: one datagram per metric, else the client's buffered mode
            connection = monascastatsd.Connection(host='127.0.0.1', port=port)
            client = monascastatsd.Client(connection=connection)
            if buffer_size:
                connection.open_buffer(buffer_size)
            for row in sys.stdin.read().splitlines():
                fields = row.split('\\t')
                kind, name, value, rate = fields[0], text(fields[1]), number(fields[2]), number(fields[3])
                dimensions = {}
                for pair in fields[4:]:
                    key, val = pair.split('=')
                    dimensions[text(key)] = text(val)
                if kind == 'COUNTER':
                    client.get_counter(name).increment(value, dimensions=dimensions, sample_rate=rate)
                elif kind == 'GAUGE':
                    client.get_gauge().send(name, value, dimensions=dimensions, sample_rate=rate)
                else:
                    client.get_timer().timing(name, value, dimensions=dimensions, sample_rate=rate)
            if buffer_size:
                connection.close_buffer()
            marker = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            marker.sendto(sys.argv[3].encode('ascii'), ('127.0.0.1', port))
            """;

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static volatile Boolean available;

    private MonascaStatsdOracle() {
    }

    /** Whether Debian's Python can import {@code monascastatsd} here. */
    public static boolean available() {
        Boolean known = available;
        if (known == null) {
            known = checkAvailable();
            available = known;
        }
        return known;
    }

    /** The Python interpreter used: the {@code monasca.statsd.python} property, else Debian's python3. */
    public static Path interpreter() {
        String override = System.getProperty("monasca.statsd.python");
        if (override != null && !override.isBlank()) {
            return Paths.get(override);
        }
        try {
            Process dpkg = new ProcessBuilder("dpkg", "-L", "python3-minimal").redirectErrorStream(true).start();
            String listing = new String(dpkg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            dpkg.waitFor(10, TimeUnit.SECONDS);
            for (String line : listing.split("\n")) {
                if (line.endsWith("bin/python3") && Files.isExecutable(Paths.get(line))) {
                    return Paths.get(line);
                }
            }
        } catch (IOException e) {
            // no dpkg: fall back to the usual place
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Paths.get("/usr/bin/python3");
    }

    /** The line the client writes for one call. */
    public static String render(OracleMetric metric) {
        return render(List.of(metric)).get(0);
    }

    /** The lines the client writes for these calls, one datagram each, in order. */
    public static List<String> render(List<OracleMetric> metrics) {
        return renderDatagrams(metrics, 0);
    }

    /**
     * The datagram payloads the client sends for these calls, in order.
     *
     * @param maxBufferSize 0 for one datagram per call; else the client's buffered mode
     *                      ({@code Connection.open_buffer(maxBufferSize)} ... {@code close_buffer()})
     */
    public static List<String> renderDatagrams(List<OracleMetric> metrics, int maxBufferSize) {
        if (!available()) {
            throw new IllegalStateException(INSTALL_HINT + " (interpreter " + interpreter() + ")");
        }
        String marker = "__monasca_statsd_oracle_done_" + UUID.randomUUID() + "__";
        try (StatsdReceiver receiver = new StatsdReceiver()) {
            Path script = Files.createTempFile("monasca_statsd_oracle", ".py");
            Path stderr = Files.createTempFile("monasca_statsd_oracle", ".err");
            try {
                Files.writeString(script, SCRIPT);
                Process python = new ProcessBuilder(interpreter().toString(), "-I", script.toString(),
                        String.valueOf(receiver.port()), String.valueOf(maxBufferSize), marker)
                        .redirectError(stderr.toFile())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                try (OutputStream stdin = python.getOutputStream()) {
                    stdin.write(describe(metrics).getBytes(StandardCharsets.UTF_8));
                }
                if (!python.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    python.destroyForcibly();
                    throw new IllegalStateException("monasca-statsd oracle did not finish within " + TIMEOUT);
                }
                if (python.exitValue() != 0) {
                    throw new IllegalStateException("monasca-statsd oracle failed (exit " + python.exitValue()
                            + "): " + Files.readString(stderr));
                }
            } finally {
                Files.deleteIfExists(script);
                Files.deleteIfExists(stderr);
            }
            List<StatsdReceiver.Datagram> received = receiver.awaitDatagrams(
                    all -> !all.isEmpty() && all.get(all.size() - 1).text().equals(marker), TIMEOUT);
            List<String> payloads = new ArrayList<>();
            for (StatsdReceiver.Datagram d : received.subList(0, received.size() - 1)) {
                payloads.add(new String(d.bytes(), StandardCharsets.UTF_8));
            }
            return payloads;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the monasca-statsd oracle", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running the monasca-statsd oracle", e);
        }
    }

    /** The script's stdin: one tab-separated row per metric, strings as hex of UTF-8. */
    private static String describe(List<OracleMetric> metrics) {
        StringBuilder rows = new StringBuilder();
        for (OracleMetric m : metrics) {
            rows.append(m.kind()).append('\t').append(hex(m.name()))
                    .append('\t').append(number(m.value(), m.integral()))
                    .append('\t').append(number(m.sampleRate(), false));
            for (Map.Entry<String, String> e : m.dimensions().entrySet()) {
                rows.append('\t').append(hex(e.getKey())).append('=').append(hex(e.getValue()));
            }
            rows.append('\n');
        }
        return rows.toString();
    }

    private static String number(Number value, boolean integral) {
        if (integral) {
            return "i" + new BigDecimal(value.toString()).toBigIntegerExact();
        }
        double d = value.doubleValue();
        if (Double.isNaN(d)) {
            return "fnan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "finf" : "f-inf";
        }
        return "f" + Double.toHexString(d); // float.fromhex reads Java's hex format exactly
    }

    private static String hex(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean checkAvailable() {
        Path python = interpreter();
        if (!Files.isExecutable(python)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(python.toString(), "-I", "-c", "import monascastatsd")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
