package io.monasca.agent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.monasca.agent.control.AgentControlMBean;
import io.monasca.agent.control.AgentRuntime;

import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.util.Properties;

/**
 * A running JVM seen through the JDK's attach API: its system properties (which say whether the agent runs there,
 * without loading anything into it), loading the agent, and the agent's MBean over the JVM's local JMX connector
 * (the one jconsole uses; the JVM starts it on request, for its own user only).
 */
final class TargetJvm implements AutoCloseable {
    static final String MBEAN = "io.monasca.agent:type=Agent";
    /** With {@code -javaagent} the agent registers its MBean within half a second of JMX starting. */
    private static final long MBEAN_WAIT_MILLIS = 5_000;

    final long pid;
    private final VirtualMachine vm;
    private JMXConnector jmx;

    private TargetJvm(long pid, VirtualMachine vm) {
        this.pid = pid;
        this.vm = vm;
    }

    /** Attaches, after checking that the process can be attached to; exit code 5 with the reason when not. */
    static TargetJvm attach(long pid) throws CommandException {
        String why = TargetProcess.whyNotAttachable(pid);
        if (why != null) {
            throw new CommandException(Commands.NO_ATTACH, why);
        }
        try {
            return new TargetJvm(pid, VirtualMachine.attach(Long.toString(pid)));
        } catch (AttachNotSupportedException | IOException e) {
            throw new CommandException(Commands.NO_ATTACH, "cannot attach to process " + pid + ": " + e.getMessage()
                    + " (a JVM that is busy or hung does not answer; so does one started with "
                    + TargetProcess.DISABLE_ATTACH + " or -Xrs)");
        } catch (NoClassDefFoundError e) {
            throw new CommandException(Commands.FAILED, "this Java has no attach API (module jdk.attach): run the"
                    + " command with a JDK's java");
        }
    }

    /** {@code running}, {@code detached}, {@code failed: ...}, or null when the agent was never in this JVM. */
    String agentState() throws CommandException {
        return properties().getProperty(AgentRuntime.STATE_PROPERTY);
    }

    boolean agentRunning() throws CommandException {
        return "running".equals(agentState());
    }

    String describeAgentState() throws CommandException {
        Properties p = properties();
        String state = p.getProperty(AgentRuntime.STATE_PROPERTY);
        if (state == null) {
            return "not running (never attached)";
        }
        String version = p.getProperty(AgentRuntime.VERSION_PROPERTY, "?");
        if (state.startsWith("failed")) {
            return "not running (" + state + "; " + version + ")";
        }
        return "running".equals(state) ? "running " + version + ", timing " + p.getProperty(AgentRuntime.TIMING_PROPERTY, "?")
                : state + " (" + version + ")";
    }

    Properties properties() throws CommandException {
        try {
            return vm.getSystemProperties();
        } catch (IOException e) {
            throw new CommandException(Commands.FAILED, "cannot read the system properties of process " + pid + ": " + e);
        }
    }

    /** Loads the agent jar into the JVM; its {@code agentmain} has run when this returns. */
    void loadAgent(String jar, String settings) throws CommandException {
        try {
            vm.loadAgent(jar, settings);
        } catch (AgentLoadException | AgentInitializationException | IOException e) {
            throw new CommandException(Commands.FAILED, "loading the agent into process " + pid + " failed: " + e
                    + (String.valueOf(e.getMessage()).contains("EnableDynamicAgentLoading")
                    ? " (the JVM was started with -XX:-EnableDynamicAgentLoading)" : ""));
        }
    }

    /** The agent's MBean, over the JVM's local JMX connector (started now if it is not running yet). */
    AgentControlMBean agent() throws CommandException {
        try {
            if (jmx == null) {
                jmx = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
            }
            MBeanServerConnection server = jmx.getMBeanServerConnection();
            ObjectName name = new ObjectName(MBEAN);
            long deadline = System.nanoTime() + MBEAN_WAIT_MILLIS * 1_000_000;
            while (!server.isRegistered(name)) {
                if (System.nanoTime() > deadline) {
                    throw new CommandException(Commands.FAILED, "the agent runs in process " + pid + " but its MBean "
                            + MBEAN + " did not appear within " + MBEAN_WAIT_MILLIS / 1000 + " s; see that process's log");
                }
                Thread.sleep(100);
            }
            return JMX.newMBeanProxy(server, name, AgentControlMBean.class);
        } catch (IOException | MalformedObjectNameException e) {
            throw new CommandException(Commands.FAILED, "cannot reach the agent in process " + pid + " over local JMX: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(Commands.FAILED, "interrupted");
        }
    }

    @Override
    public void close() {
        try {
            if (jmx != null) {
                jmx.close();
            }
        } catch (IOException ignored) {
            // the target may be gone already (detach, exit)
        }
        try {
            vm.detach();
        } catch (IOException ignored) {
            // as above
        }
    }
}
