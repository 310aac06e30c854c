package io.monasca.perf;

import io.monasca.perf.cpu.ProcessCpu;
import io.monasca.perf.run.RunSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = PerfVersion.class,
        description = {"Compares the sample persister with the agent off and on, against an embedded Kafka broker (and "
                + "InfluxDB when influxd is installed): by default one persister JVM whose agent is switched between "
                + "windows of messages in ABBA order (--mode enable or attach), or a persister JVM per round "
                + "(--mode restart). Measures CPU time per message and throughput, cross-checks every metric source, "
                + "and writes report.md, report.json and a plot."})
final class RunCommand implements Callable<Integer> {
    static final List<String> SOURCES = List.of("admin", "statsd", "monasca");
    static final List<String> MODES = List.of(RunSettings.ENABLE, RunSettings.ATTACH, RunSettings.RESTART);
    /** Options that only --mode restart takes, and only the toggle modes; giving one to the other mode is an error. */
    static final List<String> RESTART_ONLY = List.of("--rounds", "--messages", "--duration", "--warmup", "--settle");
    static final List<String> TOGGLE_ONLY = List.of("--backlog-windows", "--rate-windows", "--window", "--window-messages", "--warmup-time",
            "--precision", "--max-time", "--path-post-every");
    /** -Xmx values: a positive number with a unit (k, m, g). */
    static final java.util.regex.Pattern HEAP = java.util.regex.Pattern.compile("([1-9][0-9]*)([kKmMgG])");
    /** The sample persister's own limits (its ConfigLoader): a value outside them would only fail once Kafka runs. */
    static final int MAX_PERSISTER_THREADS = 256;
    static final int MAX_BATCH_SIZE = 1_000_000;
    static final Duration MAX_BATCH_TIME = Duration.ofHours(1);
    /** Below this the persister's JVM does not start its Kafka consumer and a batch of 10,000 points. */
    static final int MIN_HEAP_MB = 64;
    static final int MAX_PRODUCER_THREADS = 64;
    /** The agent's own limits for its interval. */
    static final Duration MIN_AGENT_INTERVAL = Duration.ofMillis(100);
    static final Duration MAX_AGENT_INTERVAL = Duration.ofHours(1);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--mode", defaultValue = "enable", description = "enable (default) or attach: one persister JVM, the agent "
            + "switched between windows (enable: -javaagent, timing switched on and off, the woven code stays; attach: "
            + "attached and detached, the original bytecode restored when off); restart: a persister JVM per round, "
            + "-javaagent in the 'on' rounds")
    String mode;

    @Option(names = "--warmup-time", defaultValue = "60s", converter = DurationConverter.class, description = "toggle modes: the "
            + "longest warm-up: unmeasured pairs of windows (agent off, on) until the persister is steady (CPU per message "
            + "of the off windows flat within the noise, JIT compilers nearly idle), at least one pair; a quarter of it "
            + "caps the settle pairs before the fixed rate (default ${DEFAULT-VALUE}; 0: one pair each)")
    Duration warmupTime;

    @Option(names = "--precision", defaultValue = "1.0", description = "toggle modes: the backlog phase takes ABBA "
            + "quadruples of windows until the 95 %% half-width of the headline (CPU per message, on vs off) is at most this "
            + "many percentage points, or --max-time is spent (default ${DEFAULT-VALUE})")
    double precision;

    @Option(names = "--max-time", defaultValue = "210s", converter = DurationConverter.class, description = "toggle modes: "
            + "the run's time budget, from starting the persister to the end of the last measured window (warm-up, "
            + "backlog and fixed-rate windows; default ${DEFAULT-VALUE})")
    Duration maxTime;

    @Option(names = "--window", defaultValue = "2s", converter = DurationConverter.class, description = "toggle modes: how long a "
            + "window should take; its messages are a whole number of batches per persister thread, from the throughput "
            + "of the windows before it (default ${DEFAULT-VALUE})")
    Duration window;

    @Option(names = "--window-messages", description = "toggle modes: messages per window instead, a "
            + "multiple of batch size x persister threads (default: from --window)")
    Long windowMessages;

    @Option(names = "--backlog-windows", description = "toggle modes: a fixed design: exactly this many windows sent as fast "
            + "as possible, ABBA order, an even number (default: as many as --precision and --max-time give)")
    Integer backlogWindows;

    @Option(names = "--rate-windows", defaultValue = "8", description = "toggle modes: windows at the fixed --rate, ABBA order, "
            + "an even number (default ${DEFAULT-VALUE})")
    int rateWindows;

    @Option(names = "--rounds", defaultValue = "6", description = "--mode restart: rounds, in ABBA order: off, on, on, off, off, on, ... (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--warmup", defaultValue = "true", arity = "1", description = "--mode restart: first run one unreported round, agent off, to warm up the broker, database and disk caches (default ${DEFAULT-VALUE})")
    boolean warmup;

    @Option(names = {"-n", "--messages"}, defaultValue = "160000", description = "--mode restart: messages (one metric each) per round (default ${DEFAULT-VALUE}, a multiple of "
            + "batch size x persister threads; otherwise the last partial batch waits for maxBatchTime)")
    long messages;

    @Option(names = "--rate", defaultValue = "0", description = "messages/second: toggle modes, the fixed-rate phase's rate (0, the "
            + "default: half the backlog phase's throughput with the agent off); --mode restart, while the persister "
            + "runs (0, the default: as fast as possible, produced before it starts)")
    double rate;

    @Option(names = "--duration", converter = DurationConverter.class, description = "--mode restart with --rate: length of each round's load; sets --messages to rate x duration")
    Duration duration;

    @Option(names = "--producer-threads", defaultValue = "2", description = "producer threads, 1 to " + MAX_PRODUCER_THREADS
            + " (default ${DEFAULT-VALUE})")
    int producerThreads;

    @Option(names = "--persister-threads", defaultValue = "2", description = "the persister's numThreads, also the topic's partitions, 1 to "
            + MAX_PERSISTER_THREADS + " (default ${DEFAULT-VALUE})")
    int persisterThreads;

    @Option(names = "--batch-size", defaultValue = "10000", description = "the persister's batchSize, 1 to " + MAX_BATCH_SIZE
            + " (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--max-batch-time", converter = DurationConverter.class, description = "the persister's maxBatchTime, whole "
            + "seconds, 1s to 1h (default 1s with --mode restart; 5s in the toggle modes: every batch is still written full and "
            + "every window ends on its last full batch, also at a fixed rate above 4,000/s, and the pipeline's own points, "
            + "stored between windows, wait no longer)")
    Duration maxBatchTime;

    @Option(names = "--source", split = ",", description = "admin, statsd, monasca (repeatable or comma list; default: all three; admin is always read: it measures both modes)")
    List<String> sources = new ArrayList<>();

    @Option(names = {"-o", "--output"}, description = "output folder (default perf-results/<timestamp>)")
    Path output;

    @Option(names = "--agent-jar", description = "the agent jar (default: agent/target/monasca-persister-agent.jar of this checkout)")
    Path agentJar;

    @Option(names = "--persister-jar", description = "the sample persister jar (default: sample-persister/target/sample-persister.jar)")
    Path persisterJar;

    @Option(names = "--agent-config", description = "the agent's properties file (default: sample-persister/agent.properties when present)")
    Path agentConfig;

    @Option(names = "--agent-interval", defaultValue = "1s", converter = DurationConverter.class, description = "the agent's reporting interval (default ${DEFAULT-VALUE})")
    Duration agentInterval;

    @Option(names = "--per-thread", defaultValue = "true", arity = "1", description = "the agent's per-thread series (default ${DEFAULT-VALUE})")
    boolean perThread;

    @Option(names = "--statsd-format", defaultValue = "monasca", description = "the agent's dimension format: monasca or dogstatsd (default ${DEFAULT-VALUE})")
    String statsdFormat;

    @Option(names = "--poll", defaultValue = "100ms", converter = DurationConverter.class, description = "admin API poll interval (default ${DEFAULT-VALUE})")
    Duration poll;

    @Option(names = "--round-timeout", defaultValue = "90s", converter = DurationConverter.class, description = "longest round (--mode restart) or window, start-up included (default ${DEFAULT-VALUE})")
    Duration roundTimeout;

    @Option(names = "--daemon-flush", defaultValue = "1s", converter = DurationConverter.class, description = "flush interval of the built-in daemon-like statsd aggregation (default ${DEFAULT-VALUE}; the real daemon: 20s; "
            + "with the monasca source and InfluxDB, perf run flushes at window edges instead)")
    Duration daemonFlush;

    @Option(names = "--path-post-every", defaultValue = "60s", converter = DurationConverter.class, description = "toggle modes, "
            + "monasca source: the production path's forwarder posts at the first window edge this long or longer after its "
            + "last post (0s: at every edge), and at the end; the persister under test stores those points before the next "
            + "window (default ${DEFAULT-VALUE}: each post costs a window edge the persister's maxBatchTime)")
    Duration pathPostEvery;

    @Option(names = "--settle", defaultValue = "5s", converter = DurationConverter.class, description = "--mode restart: pause after a round's messages are produced, before its persister starts, so that the previous round's database and broker work (InfluxDB compactions, log flushes) does not overlap it (default ${DEFAULT-VALUE})")
    Duration settle;

    @Option(names = "--no-influx", description = "use the sample persister's file repository even when influxd is installed")
    boolean noInflux;

    @Option(names = "--persister-heap", defaultValue = "512m", description = "the persister's -Xmx/-Xms, at least "
            + MIN_HEAP_MB + "m (default ${DEFAULT-VALUE})")
    String persisterHeap;

    @Override
    public Integer call() throws Exception {
        List<String> chosen = validate();
        RunSettings settings = new RunSettings(mode, rounds, warmup, messages, rate, producerThreads, persisterThreads, persisterThreads,
                batchSize, maxBatchTime, chosen, output.toAbsolutePath(), agentJar, persisterJar, agentConfig, agentInterval, perThread,
                statsdFormat, poll, roundTimeout, daemonFlush, settle, !noInflux, persisterHeap, System.console() != null,
                warmupTime, windowMessages == null ? 0 : windowMessages, window,
                backlogWindows == null ? RunSettings.ADAPTIVE : backlogWindows, rateWindows, precision, maxTime,
                pathPostEvery);
        return new PerfRun(settings, printStream(spec.commandLine())).execute();
    }

    /**
     * Every option check, in one place, before anything starts; sets the values derived from others (--messages
     * from --rate x --duration, the default jars, agent config and output folder). The output folder is created
     * last, so that a bad option leaves nothing behind.
     *
     * @return the sources to read, admin first
     */
    private List<String> validate() {
        List<String> chosen = new ArrayList<>();
        for (String s : sources.isEmpty() ? SOURCES : sources) {
            String name = s.trim().toLowerCase();
            if (!SOURCES.contains(name)) throw usage("--source: unknown source '" + s + "' (known: admin, statsd, monasca)");
            if (!chosen.contains(name)) chosen.add(name);
        }
        if (!chosen.contains("admin")) chosen.add(0, "admin");
        mode = mode.trim().toLowerCase(java.util.Locale.ROOT);
        if (!MODES.contains(mode)) throw usage("--mode must be enable, attach or restart, got '" + mode + "'");
        boolean toggle = !mode.equals(RunSettings.RESTART);
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        for (String option : toggle ? RESTART_ONLY : TOGGLE_ONLY) {
            if (given.hasMatchedOption(option)) {
                throw usage(option + (toggle ? " applies to --mode restart only; --mode " + mode + " runs one persister "
                        + "JVM in windows: size the run with --backlog-windows, --rate-windows, --window, --warmup-time"
                        : " applies to the toggle modes (enable, attach) only; --mode restart runs rounds: size them "
                        + "with --rounds and --messages"));
            }
        }
        // the plain ranges first: the checks below divide by them
        range("--producer-threads", producerThreads, 1, MAX_PRODUCER_THREADS);
        range("--persister-threads", persisterThreads, 1, MAX_PERSISTER_THREADS);
        range("--batch-size", batchSize, 1, MAX_BATCH_SIZE);
        if (maxBatchTime == null) maxBatchTime = Duration.ofSeconds(toggle ? 5 : 1);
        if (maxBatchTime.toMillis() % 1000 != 0 || maxBatchTime.isZero() || maxBatchTime.compareTo(MAX_BATCH_TIME) > 0) {
            // the persister takes whole seconds: 1500ms would silently become 1 s
            throw usage("--max-batch-time must be whole seconds from 1s to 1h (the persister's maxBatchTime counts "
                    + "seconds), got " + maxBatchTime.toMillis() + " ms");
        }
        if (!Double.isFinite(rate) || rate < 0) {
            throw usage("--rate must be 0 (" + (toggle ? "half the backlog phase's throughput" : "as fast as possible")
                    + ") or positive, got " + rate);
        }
        if (toggle) {
            validateWindows();
        } else {
            validateRounds();
        }
        OptionChecks.positive(spec.commandLine(), "--poll", poll);
        OptionChecks.positive(spec.commandLine(), "--round-timeout", roundTimeout);
        if (agentInterval.compareTo(MIN_AGENT_INTERVAL) < 0 || agentInterval.compareTo(MAX_AGENT_INTERVAL) > 0) {
            throw usage("--agent-interval must be at least 100ms and at most 1h (the agent's own limits), got "
                    + agentInterval.toMillis() + " ms");
        }
        OptionChecks.positive(spec.commandLine(), "--daemon-flush", daemonFlush);
        if (pathPostEvery.isNegative()) throw usage("--path-post-every must be 0s or more, got " + pathPostEvery.toMillis() + " ms");
        java.util.regex.Matcher heap = HEAP.matcher(persisterHeap == null ? "" : persisterHeap.trim());
        if (!heap.matches()) {
            throw usage("--persister-heap must be a JVM heap size like 512m or 1g, got '" + persisterHeap + "'");
        }
        if (megabytes(heap) < MIN_HEAP_MB) {
            throw usage("--persister-heap must be at least " + MIN_HEAP_MB + "m (the persister's consumer and its "
                    + "batches need it), got '" + persisterHeap.trim() + "'");
        }
        persisterHeap = persisterHeap.trim();
        if (!statsdFormat.equals("monasca") && !statsdFormat.equals("dogstatsd")) throw usage("--statsd-format must be monasca or dogstatsd");
        if (agentJar == null) agentJar = JarLocator.find("agent.jar", "agent/target/monasca-persister-agent.jar");
        if (persisterJar == null) persisterJar = JarLocator.find("sample-persister.jar", "sample-persister/target/sample-persister.jar");
        requireFile(agentJar, "agent jar", "--agent-jar");
        requireFile(persisterJar, "sample persister jar", "--persister-jar");
        if (agentConfig != null) {
            if (!Files.isRegularFile(agentConfig)) {
                throw usage("--agent-config " + agentConfig + ": " + (Files.isDirectory(agentConfig) ? "a folder, not a "
                        + "properties file" : "no such file"));
            }
            if (!Files.isReadable(agentConfig)) throw usage("--agent-config " + agentConfig + ": cannot read it (permission denied)");
        } else {
            Path candidate = persisterJar.getParent() == null ? null : persisterJar.getParent().resolveSibling("agent.properties");
            if (candidate != null && Files.isRegularFile(candidate)) agentConfig = candidate;
        }
        if (output == null) {
            output = Path.of("perf-results", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        OptionChecks.writableFolder("-o/--output", output);
        return chosen;
    }

    private void validateRounds() {
        if (rounds < 2) throw usage("--rounds must be at least 2 (one off, one on), got " + rounds);
        if (rounds % 2 != 0) {
            // ABBA pairs: an odd count gives one mode an extra round, which then weighs more in its mean
            throw usage("--rounds must be even (pairs of one off and one on round), got " + rounds + ": use "
                    + (rounds - 1) + " or " + (rounds + 1));
        }
        if (duration != null) {
            if (rate <= 0) throw usage("--duration needs --rate (without a rate, size the rounds with --messages)");
            OptionChecks.positive(spec.commandLine(), "--duration", duration);
            messages = Math.round(rate * duration.toMillis() / 1000.0);
            if (messages < 1) throw usage("--rate " + rate + " x --duration " + duration.toMillis() + " ms is less than one message per round");
        }
        if (messages < 1) throw usage("--messages must be at least 1, got " + messages);
    }

    private void validateWindows() {
        if (!ProcessCpu.available()) {
            throw usage("--mode " + mode + " reads the persister's CPU time per thread from /proc, which this system does "
                    + "not have (Linux only): use --mode restart");
        }
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        if (backlogWindows != null) {
            evenWindows("--backlog-windows", backlogWindows);
            for (String adaptiveOnly : List.of("--precision", "--max-time")) {
                if (given.hasMatchedOption(adaptiveOnly)) {
                    throw usage(adaptiveOnly + " sizes the adaptive design; --backlog-windows " + backlogWindows + " fixes "
                            + "the number of windows: give one or the other");
                }
            }
            if (backlogWindows + rateWindows < 2) throw usage("--backlog-windows and --rate-windows are both 0: nothing to measure");
        }
        evenWindows("--rate-windows", rateWindows);
        if (!Double.isFinite(precision) || precision <= 0) {
            throw usage("--precision must be a positive number of percentage points, got " + precision);
        }
        OptionChecks.positive(spec.commandLine(), "--max-time", maxTime);
        OptionChecks.positive(spec.commandLine(), "--window", window);
        long unit = (long) batchSize * persisterThreads;
        if (windowMessages != null && windowMessages < 1) {
            throw usage("--window-messages must be positive (leave it out to size the windows by --window), got " + windowMessages);
        }
        if (windowMessages != null && windowMessages % unit != 0) {
            throw usage("--window-messages must be a multiple of --batch-size x --persister-threads (" + batchSize + " x "
                    + persisterThreads + " = " + unit + "), so that every window ends on full batches, got " + windowMessages);
        }
    }

    private void range(String option, long value, long min, long max) {
        if (value < min || value > max) throw usage(option + " must be from " + min + " to " + max + ", got " + value);
    }

    private static long megabytes(java.util.regex.Matcher heap) {
        long amount = Long.parseLong(heap.group(1));
        return switch (Character.toLowerCase(heap.group(2).charAt(0))) {
            case 'k' -> amount / 1024;
            case 'g' -> amount * 1024;
            default -> amount;
        };
    }

    private void evenWindows(String option, int n) {
        if (n < 0 || n % 2 != 0) {
            throw usage(option + " must be an even number (pairs of one off and one on window), got " + n
                    + (n > 0 ? ": use " + (n - 1) + " or " + (n + 1) : ""));
        }
    }

    /** The command's output writer as a PrintStream (tests capture it). */
    static PrintStream printStream(CommandLine cli) {
        java.io.PrintWriter writer = cli.getOut();
        return new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                writer.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writer.write(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8));
            }

            @Override
            public void flush() {
                writer.flush();
            }
        }, true, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void requireFile(Path file, String what, String option) {
        if (!Files.isRegularFile(file)) {
            throw usage("the " + what + " is missing: " + file + " (build it with 'mvn -B -DskipTests package' from the "
                    + "project root, or give " + option + ")");
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
