package io.monasca.perf.toggle;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

import java.io.IOException;
import java.util.Properties;

/**
 * The persister's JVM seen from perf through the JDK's attach API: its system properties, which say what the agent
 * is doing ({@value #STATE_PROPERTY}, {@value #TIMING_PROPERTY}), and loading the agent jar into it.
 *
 * <p>perf switches the agent by loading its jar with an argument, as the agent documents for a jar loaded by hand
 * while it runs ({@code enabled=true}, {@code enabled=false}, {@code detach}; anything else starts it when it is not
 * running), not through its MBean over JMX: measured on the sample persister, a switch by JMX costs the persister
 * about 2 ms of CPU (RMI, serialisation, and code the JIT then compiles during the next windows) and needs the JVM's
 * JMX agent running all along; a switch by loading the jar about 0.5 ms, and nothing stays behind.
 */
public final class PersisterJvm implements AutoCloseable {
    /** The agent's system properties (io.monasca.agent.control.AgentRuntime). */
    public static final String STATE_PROPERTY = "io.monasca.agent.state";
    public static final String TIMING_PROPERTY = "io.monasca.agent.timing";

    private final long pid;
    private final VirtualMachine vm;

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

    @Override
    public void close() {
        try {
            vm.detach();
        } catch (IOException ignored) {
            // the persister may have exited
        }
    }
}
