package io.monasca.perf.toggle;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

import java.io.IOException;
import java.util.Properties;

/**
 * The persister's JVM seen from perf through the JDK's attach API: its system properties, which say what the agent
 * is doing ({@value #STATE_PROPERTY}, {@value #TIMING_PROPERTY}), loading the agent jar into it, and the running
 * agent's MBean ({@value #AGENT_MBEAN}) over the JVM's local JMX connector, as the agent's own {@code enable},
 * {@code disable} and {@code detach} commands use it.
 *
 * <p>A running agent is switched through its MBean, not by loading its jar again with {@code enabled=true}: each load
 * appends the jar to the class path of the persister again (and the JVM logs a class-sharing warning each time).
 * The local JMX connector is started once, at the first switch, and its connection kept for the run; switches
 * happen only at window edges, with the persister idle, so its cost is in no window.
 */
public final class PersisterJvm implements AutoCloseable {
    /** The agent's system properties (io.monasca.agent.control.AgentRuntime). */
    public static final String STATE_PROPERTY = "io.monasca.agent.state";
    public static final String TIMING_PROPERTY = "io.monasca.agent.timing";
    /** The agent's MBean (io.monasca.agent.control.AgentControlMBean). */
    public static final String AGENT_MBEAN = "io.monasca.agent:type=Agent";
    /** With -javaagent the agent registers its MBean within half a second of JMX starting. */
    private static final long MBEAN_WAIT_MILLIS = 5_000;

    private final long pid;
    private final VirtualMachine vm;
    private javax.management.remote.JMXConnector jmx;

    private PersisterJvm(long pid, VirtualMachine vm) {
        this.pid = pid;
        this.vm = vm;
    }

    public static PersisterJvm attach(long pid) throws IOException {
        try {
            return new PersisterJvm(pid, VirtualMachine.attach(Long.toString(pid)));
        } catch (AttachNotSupportedException e) {
            throw new IOException("cannot attach to the persister (process " + pid + "): " + e.getMessage(), e);
        }
    }

    public long pid() {
        return pid;
    }

    public Properties properties() throws IOException {
        return vm.getSystemProperties();
    }

    /** Loads the agent jar with this argument; the agent's agentmain has run when this returns. */
    public void loadAgent(String jar, String argument) throws IOException {
        try {
            vm.loadAgent(jar, argument);
        } catch (AgentLoadException | AgentInitializationException e) {
            throw new IOException("loading the agent into the persister (process " + pid + ") with '" + argument
                    + "' failed: " + e, e);
        }
    }

    /**
     * Calls an operation of the running agent's MBean ({@code enable}, {@code disable}, {@code detach}) and returns
     * its answer, e.g. {@code timing is now on (it was off)}.
     */
    public String agentOperation(String operation) throws IOException {
        try {
            javax.management.MBeanServerConnection server = agentServer();
            return String.valueOf(server.invoke(new javax.management.ObjectName(AGENT_MBEAN), operation, new Object[0], new String[0]));
        } catch (javax.management.JMException e) {
            throw new IOException("the agent's " + operation + " over JMX in the persister (process " + pid + ") failed: " + e, e);
        }
    }

    /** The persister's MBean server, the agent's MBean registered in it (waits for it briefly after a start). */
    private javax.management.MBeanServerConnection agentServer() throws IOException, javax.management.JMException {
        if (jmx == null) {
            jmx = javax.management.remote.JMXConnectorFactory.connect(new javax.management.remote.JMXServiceURL(vm.startLocalManagementAgent()));
        }
        javax.management.MBeanServerConnection server = jmx.getMBeanServerConnection();
        javax.management.ObjectName name = new javax.management.ObjectName(AGENT_MBEAN);
        long deadline = System.nanoTime() + MBEAN_WAIT_MILLIS * 1_000_000;
        while (!server.isRegistered(name)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the agent runs in the persister (process " + pid + ") but its MBean " + AGENT_MBEAN
                        + " did not appear within " + MBEAN_WAIT_MILLIS / 1000 + " s; see the persister's log");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for the agent's MBean", e);
            }
        }
        return server;
    }

    @Override
    public void close() {
        try {
            if (jmx != null) jmx.close();
        } catch (IOException ignored) {
            // the persister may have exited
        }
        try {
            vm.detach();
        } catch (IOException ignored) {
            // the persister may have exited
        }
    }
}
