package io.monasca.perf;

import io.monasca.perf.outcome.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code perf}: the Monasca persister performance tool. {@code perf run} compares the sample persister with the
 * agent off and on on an embedded set-up; {@code perf watch} follows persisters someone else runs.
 * Exit codes: 0 success, 1 failure (a server unreachable, bad credentials...), 2 bad arguments,
 * 3 the sources disagree with what was produced or stored.
 */
@Command(name = "perf", mixinStandardHelpOptions = true, versionProvider = PerfVersion.class,
        description = "Monasca persister performance tool: load, agent off versus on, three metric sources, a report.",
        subcommands = {RunCommand.class, WatchCommand.class, CommandLine.HelpCommand.class})
public final class PerfCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a command: run or watch");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** The embedded broker logs a lot at INFO: keep warnings only, unless the user chose a level. */
    static void quietLogs() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            // the in-process broker's routine start/stop warnings are not the user's concern
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
            System.setProperty("org.slf4j.simpleLogger.log.kafka", "error");
        }
        System.setProperty("java.awt.headless", "true");
    }

    /** Runs the CLI without exiting the JVM (tests call this). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        quietLogs();
        CommandLine cli = new CommandLine(new PerfCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Throwable shown = e;
            while ((shown.getMessage() == null || shown.getMessage().isBlank()) && shown.getCause() != null) shown = shown.getCause();
            commandLine.getErr().println("perf " + commandLine.getCommandName() + ": error: " + shown.getMessage());
            if (Boolean.getBoolean("perf.debug")) e.printStackTrace(commandLine.getErr());
            return e instanceof IllegalArgumentException ? ExitCode.USAGE : ExitCode.FAILURE;
        });
        return cli.execute(args);
    }
}
