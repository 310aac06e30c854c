package io.monasca.agent.it;

import com.sun.tools.attach.VirtualMachine;
import io.monasca.agent.control.AgentControlMBean;

import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.time.Duration;

/**
 * The agent's MBean in a forked JVM, as jconsole reaches it: attach, start the JVM's local JMX connector, connect.
 * Waits for the MBean, which the agent registers within half a second of JMX starting.
 */
final class AgentJmx implements AutoCloseable {
    static final String NAME = "io.monasca.agent:type=Agent";

    private final JMXConnector jmx;
    final AgentControlMBean agent;

    private AgentJmx(JMXConnector jmx, AgentControlMBean agent) {
        this.jmx = jmx;
        this.agent = agent;
    }

    static AgentJmx connect(Process app, Duration wait) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(app.pid()));
        String url;
        try {
            url = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(url));
        try {
            MBeanServerConnection server = jmx.getMBeanServerConnection();
            ObjectName name = new ObjectName(NAME);
            long deadline = System.nanoTime() + wait.toNanos();
            while (!server.isRegistered(name) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            return new AgentJmx(jmx, JMX.newMBeanProxy(server, name, AgentControlMBean.class));
        } catch (Exception | Error e) {
            jmx.close();
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        jmx.close();
    }
}
