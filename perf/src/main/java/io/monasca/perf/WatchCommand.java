package io.monasca.perf;

import io.monasca.perf.monasca.MonascaClient;
import io.monasca.perf.net.NetworkErrors;
import io.monasca.perf.outcome.ExitCode;
import io.monasca.perf.source.AdminSource;
import io.monasca.perf.source.MetricSource;
import io.monasca.perf.source.MonascaSource;
import io.monasca.perf.source.StatsdSource;
import io.monasca.perf.watch.Watcher;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "watch", mixinStandardHelpOptions = true, versionProvider = PerfVersion.class,
        description = {"persister_perf.sh's job against persisters someone else runs: polls a source until the "
                + "target count is persisted, prints progress, and writes "
                + "persister_perf_<timestamp>/persister_perf_output.txt."})
final class WatchCommand implements Callable<Integer> {
    /** host:port (not an IPv6 literal such as ::1, which has more than one colon). */
    private static final java.util.regex.Pattern HOST_PORT = java.util.regex.Pattern.compile("([^:\\[\\]]+):([0-9]*)");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-s", "--hosts"}, split = ",", defaultValue = "localhost", description = "persister hosts for the admin source (default ${DEFAULT-VALUE})")
    List<String> hosts;

    @Option(names = {"-p", "--port"}, defaultValue = "8091", description = "admin API port (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = {"-n", "--count"}, required = true, description = "metrics to be persisted (counted from the start of the watch)")
    long count;

    @Option(names = {"-w", "--poll"}, defaultValue = "5s", converter = DurationConverter.class, description = "poll interval (default ${DEFAULT-VALUE})")
    Duration poll;

    @Option(names = "--timeout", defaultValue = "1h", converter = DurationConverter.class, description = "give up after (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--source", defaultValue = "admin", description = "admin, statsd or monasca (default ${DEFAULT-VALUE})")
    String source;

    @Option(names = "--statsd-port", defaultValue = "8125", description = "statsd source: UDP port to listen on (default ${DEFAULT-VALUE})")
    int statsdPort;

    @Option(names = "--statsd-bind", defaultValue = "127.0.0.1", description = "statsd source: address to listen on; 0.0.0.0 for agents on other hosts (default ${DEFAULT-VALUE})")
    String statsdBind;

    @Option(names = {"-o", "--output-dir"}, defaultValue = ".", description = "where persister_perf_<timestamp>/ is written (default: current folder)")
    Path outputDir;

    @Mixin
    MonascaOptions monasca;

    @Override
    public Integer call() throws Exception {
        validate();
        try (MetricSource metricSource = open()) {
            Watcher watcher = new Watcher(metricSource, count, poll, timeout, RunCommand.printStream(spec.commandLine()),
                    System.console() != null);
            Watcher.Outcome outcome = watcher.watch(outputDir);
            spec.commandLine().getOut().println("written: " + outcome.outputFile());
            if (!outcome.reached()) {
                spec.commandLine().getErr().println("perf watch: the target of " + count + " persisted metrics was not reached within " + timeout.toSeconds() + " s");
                return ExitCode.FAILURE;
            }
            return ExitCode.OK;
        }
    }

    /** Every option check, before anything is opened or watched. */
    private void validate() {
        if (count < 1) throw usage("--count must be at least 1, got " + count);
        if (port < 1 || port > 65535) throw usage("--port must be 1..65535, got " + port);
        if (statsdPort < 1 || statsdPort > 65535) throw usage("--statsd-port must be 1..65535, got " + statsdPort);
        OptionChecks.positive(spec.commandLine(), "--poll", poll);
        OptionChecks.positive(spec.commandLine(), "--timeout", timeout);
        if (!RunCommand.SOURCES.contains(source.trim().toLowerCase())) {
            throw usage("--source: unknown source '" + source + "' (known: " + String.join(", ", RunCommand.SOURCES) + ")");
        }
        for (String host : hosts) {
            java.util.regex.Matcher m = HOST_PORT.matcher(host.trim());
            if (m.matches()) {
                throw usage("--hosts takes host names only, got '" + host.trim() + "': give the port with -p/--port "
                        + "(e.g. -s " + m.group(1) + " -p " + m.group(2) + "); all hosts share one port");
            }
        }
        OptionChecks.writableFolder("-o/--output-dir", outputDir);
    }

    private MetricSource open() throws Exception {
        return switch (source.trim().toLowerCase()) {
            case "admin" -> new AdminSource(hosts, port, Duration.ofSeconds(10));
            case "statsd" -> statsd();
            default -> new MonascaSource(new MonascaClient(monasca.credentials()), monasca.dimensionFilter(), monasca.combine(), Instant.now());
        };
    }

    /** A listener that cannot bind says which option to change, and why (unresolvable, not local, port taken). */
    private StatsdSource statsd() {
        String where = "--statsd-bind " + statsdBind + " --statsd-port " + statsdPort;
        InetAddress address;
        try {
            address = InetAddress.getByName(statsdBind);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(where + ": host name '" + statsdBind + "' does not resolve");
        }
        try {
            return new StatsdSource(address, statsdPort, Duration.ofSeconds(1), null);
        } catch (SocketException e) {
            throw new IllegalArgumentException(where + ": cannot listen on UDP " + address.getHostAddress()
                    + ":" + statsdPort + ": " + NetworkErrors.bindFailure(e, address));
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
