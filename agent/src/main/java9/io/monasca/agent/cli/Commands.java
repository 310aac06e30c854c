package io.monasca.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.monasca.agent.AgentVersion;
import io.monasca.agent.config.AgentArguments;
import io.monasca.agent.config.AgentSettings;
import io.monasca.agent.config.FileFacts;
import io.monasca.agent.control.AgentControlMBean;

import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.UndeclaredThrowableException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The agent's commands: {@code attach}, {@code status}, {@code enable}, {@code disable}, {@code detach}, {@code list},
 * {@code version}. Each prints what actually happened in the target JVM, read back from it, and its exit code says
 * whether it did what was asked ({@link #DONE} also when the target already was as asked). Only {@code attach}
 * loads the jar into the target; the others talk to the running agent's MBean, so they leave nothing in the
 * target's log but the agent's own line.
 */
public final class Commands {
    static final int DONE = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int NOT_RUNNING = 3;
    static final int ALREADY_RUNNING = 4;
    static final int NO_ATTACH = 5;
    static final int NOTHING_TIMED = 6;
    /**
     * The most a JDK 17 target's attach protocol carries for {@code loadAgent}: the jar's path, '=' and the settings,
     * in UTF-8 bytes (measured: 1024; a JDK 25 target takes about 256 KiB, but only from a JDK 25 command). Longer
     * settings go through a file.
     */
    static final int ATTACH_ARGUMENT_BYTES = 1024;

    static final String USAGE_TEXT = String.join(System.lineSeparator(),
            "usage: java -jar monasca-persister-agent.jar <command> [<pid>] [settings]",
            "  attach <pid> [settings]  start the agent in a running JVM; settings as after -javaagent:jar=",
            "                           (key=value,key=value; a relative config= path is taken from this directory)",
            "  status <pid>             what the agent in that JVM does: version, timing, methods, targets, statsd, errors",
            "  enable <pid>             turn timing on",
            "  disable <pid>            turn timing off (the woven code stays; it only skips the clock)",
            "  detach <pid>             restore the instrumented classes, send the last interval, stop the agent",
            "  list                     the local JVMs of this user and whether the agent runs in each",
            "  version                  this agent's version",
            "exit codes: 0 done (or already so), 1 failed, 2 bad command or settings, 3 the agent is not running there,",
            "            4 the agent is already running there, 5 that process cannot be attached to,",
            "            6 attached, but nothing is timed yet (no loaded class matches the targets; it keeps watching)");

    private final PrintStream out;
    private final PrintStream err;

    Commands(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new Commands(System.out, System.err).run(args));
    }

    int run(String[] args) {
        if (args.length == 0) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        String command = args[0];
        try {
            switch (command) {
                case "help":
                case "--help":
                case "-h":
                    out.println(USAGE_TEXT);
                    return DONE;
                case "version":
                case "--version":
                    expectArguments(args, 1, 1);
                    out.println("monasca-persister-agent " + AgentVersion.get());
                    return DONE;
                case "list":
                    expectArguments(args, 1, 1);
                    return list();
                case "attach":
                    expectArguments(args, 2, 3);
                    return attach(pid(args[1]), args.length == 3 ? args[2] : "");
                case "status":
                case "enable":
                case "disable":
                case "detach":
                    expectArguments(args, 2, 2);
                    return control(command, pid(args[1]));
                default:
                    throw new CommandException(USAGE, "unknown command '" + command + "'");
            }
        } catch (CommandException e) {
            err.println(command + ": " + e.getMessage());
            if (e.showUsage) {
                err.println(USAGE_TEXT);
            }
            return e.exitCode;
        } catch (UndeclaredThrowableException | SecurityException e) {
            Throwable cause = e instanceof UndeclaredThrowableException ? e.getCause() : e;
            err.println(command + ": talking to the agent failed: " + cause);
            return FAILED;
        }
    }

    private static void expectArguments(String[] args, int min, int max) throws CommandException {
        if (args.length < min) {
            throw new CommandException(USAGE, "needs a process id");
        }
        if (args.length > max) {
            throw new CommandException(USAGE, "too many arguments" + (args[0].equals("attach")
                    ? " (give the settings as one argument: key=value,key=value)" : ""));
        }
    }

    private static long pid(String text) throws CommandException {
        try {
            long pid = Long.parseLong(text);
            if (pid > 0) {
                return pid;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new CommandException(USAGE, "not a process id: '" + text + "'");
    }

    private int attach(long pid, String given) throws CommandException {
        String settings = withAbsoluteConfig(given, Paths.get("").toAbsolutePath());
        List<String> problems = AgentSettings.parse(settings, new Properties(), Map.of()).problems;
        if (!problems.isEmpty()) {
            StringBuilder why = new StringBuilder("refused: the settings have these problems, so nothing was started"
                    + " and process " + pid + " was not touched:");
            problems.forEach(p -> why.append(System.lineSeparator()).append("  ").append(Refusals.withoutOutcome(p)));
            throw new CommandException(USAGE, why.toString(), false);
        }
        String jar = agentJar();
        // Settings the attach protocol cannot carry go in a file that only the target's user can read, named in the
        // argument as @<file> and removed once the agent has read it (written first: a failure touches nothing).
        Path file = (jar + "=" + settings).getBytes(StandardCharsets.UTF_8).length <= ATTACH_ARGUMENT_BYTES ? null
                : SettingsFile.write(pid, settings);
        try (TargetJvm jvm = TargetJvm.attach(pid)) {
            if (jvm.agentRunning()) {
                throw new CommandException(ALREADY_RUNNING, "the agent is already running in process " + pid + " ("
                        + jvm.describeAgentState() + "); the settings given are not applied. To change settings:"
                        + " detach, then attach again");
            }
            jvm.loadAgent(jar, file == null ? settings : "@" + file);
            SettingsFile.delete(file);
            String state = jvm.agentState();
            if (!"running".equals(state)) {
                throw new CommandException(FAILED, "the agent did not start in process " + pid + ": "
                        + (state == null ? "no reason given; see that process's log" : state)
                        + configFileAsSeenHere(settings, pid));
            }
            AgentControlMBean agent = jvm.agent();
            out.println("attach: started the agent " + agent.getVersion() + " in process " + pid);
            printStatus(agent);
            int exit = DONE;
            if (agent.getInstrumentedMethodNames().length == 0) {
                String[] operations = agent.getOperations();
                err.println("attach: " + (operations.length == 0 ? "nothing will be timed: no operation is configured"
                        : "nothing is timed yet; timing starts when a class matching " + String.join("; ", operations)
                        + " loads (the agent keeps watching)"));
                exit = NOTHING_TIMED;
            }
            if (agent.getConfigProblems().length > 0) {
                err.println("attach: started, but process " + pid + " found problems in its settings (from its own"
                        + " system properties, environment or config file; defaults used for those keys): see above");
                exit = FAILED;
            }
            return exit;
        } finally {
            SettingsFile.delete(file);
        }
    }

    /** When the agent did not start on a config file: how that file looks from here, as root too. */
    private static String configFileAsSeenHere(String settings, long pid) {
        for (String entry : AgentArguments.split(settings)) {
            int eq = entry.indexOf('=');
            if (eq > 0 && entry.substring(0, eq).trim().equals("config")) {
                String file = entry.substring(eq + 1).trim();
                String user = TargetProcess.user(pid);
                return System.lineSeparator() + "  " + file + " as this command sees it: "
                        + FileFacts.describe(file) + (user == null ? "" : "; process " + pid + " runs as user " + user
                        + ", who must be able to read it");
            }
        }
        return "";
    }

    private int control(String command, long pid) throws CommandException {
        try (TargetJvm jvm = TargetJvm.attach(pid)) {
            if (!jvm.agentRunning()) {
                String state = jvm.describeAgentState();
                if (command.equals("detach")) {
                    out.println("detach: the agent is " + state + " in process " + pid + ": nothing to detach");
                    return DONE;
                }
                throw new CommandException(NOT_RUNNING, "the agent is " + state + " in process " + pid + "; use attach");
            }
            AgentControlMBean agent = jvm.agent();
            switch (command) {
                case "status":
                    out.println("status: the agent " + agent.getVersion() + " runs in process " + pid);
                    printStatus(agent);
                    return DONE;
                case "enable":
                    out.println("enable: " + agent.enable() + " in process " + pid);
                    return DONE;
                case "disable":
                    out.println("disable: " + agent.disable() + " in process " + pid);
                    return DONE;
                default:
                    out.println("detach: " + agent.detach() + " in process " + pid);
                    return DONE;
            }
        }
    }

    private void printStatus(AgentControlMBean agent) {
        out.println("  started:      " + agent.getStartedAt() + " by " + agent.getStartedBy());
        out.println("  timing:       " + (agent.isEnabled() ? "on" : "off"));
        out.println("  operations:   " + String.join("; ", agent.getOperations()));
        String[] methods = agent.getInstrumentedMethodNames();
        out.println("  instrumented: " + methods.length + " method" + (methods.length == 1 ? "" : "s"));
        for (String m : methods) {
            out.println("    " + m);
        }
        String[] unmatched = agent.getUnmatchedTargets();
        out.println("  unmatched:    " + (unmatched.length == 0 ? "none" : unmatched.length + " target(s)"));
        for (String u : unmatched) {
            out.println("    " + u);
        }
        String[] notWoven = agent.getNotWovenMethods();
        if (notWoven.length > 0) {
            out.println("  not woven:    " + notWoven.length + (notWoven.length == 1 ? " method, left as it was"
                    : " methods, left as they were"));
            for (String n : notWoven) {
                out.println("    " + n);
            }
        }
        out.println("  statsd:       " + agent.getStatsdTarget() + ", " + agent.getExport());
        out.println("  errors:       " + agent.getAgentErrors() + " of the agent's own, " + agent.getSendFailures()
                + " datagrams not sent");
        out.println("  start-up:     " + agent.getStartupCost());
        String[] problems = agent.getConfigProblems();
        out.println("  settings:     " + (problems.length == 0 ? "no problems" : problems.length + " problem(s), defaults used:"));
        for (String p : problems) {
            out.println("    " + p);
        }
    }

    private int list() {
        List<VirtualMachineDescriptor> jvms = new ArrayList<>(VirtualMachine.list());
        long self = ProcessHandle.current().pid();
        Set<Long> listed = new HashSet<>();
        out.printf("%-8s %-34s %s%n", "PID", "AGENT", "JVM");
        for (VirtualMachineDescriptor d : jvms) {
            long pid = Long.parseLong(d.id());
            listed.add(pid);
            if (pid == self) {
                continue;
            }
            String agent;
            try (TargetJvm jvm = TargetJvm.attach(pid)) {
                agent = jvm.describeAgentState();
            } catch (CommandException e) {
                agent = "unknown: " + e.getMessage();
            }
            out.printf("%-8d %-34s %s%n", pid, agent, d.displayName());
        }
        // The attach API leaves out the JVMs that refuse attach; they run all the same, so they are shown, marked.
        Integer me = TargetProcess.uid(self);
        for (long pid : TargetProcess.withHsperfdata()) {
            if (listed.contains(pid) || pid == self || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                    || (me != null && me != 0 && !me.equals(TargetProcess.uid(pid))) || !TargetProcess.isJvm(pid)) {
                continue;
            }
            String why = TargetProcess.startedWith(Paths.get("/proc", Long.toString(pid)), TargetProcess.DISABLE_ATTACH)
                    ? "no attach (" + TargetProcess.DISABLE_ATTACH + ")" : "no attach (not offered by the attach API)";
            out.printf("%-8d %-34s %s%n", pid, why, TargetProcess.displayName(pid));
        }
        return DONE;
    }

    /** The {@code config=} entry made absolute against the caller's directory (the target has its own). */
    static String withAbsoluteConfig(String settings, Path callerDirectory) {
        List<String> entries = new ArrayList<>();
        for (String entry : AgentArguments.split(settings)) {
            int eq = entry.indexOf('=');
            if (eq > 0 && entry.substring(0, eq).trim().equals("config")) {
                String path = entry.substring(eq + 1).trim();
                entry = "config=" + callerDirectory.resolve(path).toAbsolutePath().normalize();
            }
            entries.add(entry);
        }
        return String.join(",", entries);
    }

    private static String agentJar() throws CommandException {
        try {
            return new File(Commands.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            throw new CommandException(FAILED, "cannot tell where the agent jar is: " + e);
        }
    }
}
