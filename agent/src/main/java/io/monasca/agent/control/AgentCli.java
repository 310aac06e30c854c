package io.monasca.agent.control;

import net.bytebuddy.agent.ByteBuddyAgent;

import java.io.File;

/**
 * {@code java -jar monasca-persister-agent.jar <command> <pid> [agent arguments]}: attaches this jar to a running JVM
 * (same user; a JDK, not a bare JRE) to start the agent there, or to control the agent already running there.
 */
public final class AgentCli {
    private static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar monasca-persister-agent.jar <command> <pid> [key=value,...]",
            "  attach <pid> [args]  start the agent in a running JVM (args as after -javaagent:jar=)",
            "  enable <pid>         turn timing on in a JVM where the agent runs",
            "  disable <pid>        turn timing off (the woven code stays; it only skips the clock)",
            "  detach <pid>         restore the instrumented classes and stop the agent (it can be attached again)");

    private AgentCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println(USAGE);
            return 2;
        }
        String command = args[0];
        String pid = args[1];
        if (!pid.matches("\\d+")) {
            System.err.println("not a process id: '" + pid + "'");
            System.err.println(USAGE);
            return 2;
        }
        String argument;
        switch (command) {
            case "attach":
                argument = args.length == 3 ? args[2] : "";
                break;
            case "enable":
                argument = "enabled=true";
                break;
            case "disable":
                argument = "enabled=false";
                break;
            case "detach":
                argument = AgentRuntime.DETACH;
                break;
            default:
                System.err.println("unknown command '" + command + "'");
                System.err.println(USAGE);
                return 2;
        }
        try {
            File jar = new File(AgentCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            ByteBuddyAgent.attach(jar, pid, argument);
            System.out.println(command + ": done for process " + pid + " (the agent logs to that process's stderr)");
            return 0;
        } catch (Exception | Error e) {
            System.err.println(command + " failed for process " + pid + ": " + e);
            return 1;
        }
    }
}
