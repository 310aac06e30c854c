package io.monasca.agent.control;

/**
 * {@code java -jar monasca-persister-agent.jar <command> ...}: the jar's {@code Main-Class}. Compiled for Java 8 like
 * the rest of the agent so that it can say clearly, on any Java, that the commands themselves need Java 9 or newer
 * (they use the JDK's attach API, module {@code jdk.attach}); the target JVM may be Java 8.
 */
public final class AgentCli {
    private static final String COMMANDS = "io.monasca.agent.cli.Commands";

    private AgentCli() {
    }

    public static void main(String[] args) throws Exception {
        String spec = System.getProperty("java.specification.version", "");
        if (spec.startsWith("1.")) {
            System.err.println("the agent's commands need Java 9 or newer to run (this is Java " + spec + "); run them"
                    + " with a newer JDK's java: the target JVM itself may be Java 8");
            System.exit(2);
        }
        Class.forName(COMMANDS).getMethod("main", String[].class).invoke(null, (Object) args);
    }
}
