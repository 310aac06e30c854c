package io.monasca.agent.it;

import com.sun.tools.attach.VirtualMachine;
import io.monasca.agent.control.AgentControlMBean;
import io.monasca.testkit.statsd.StatsdReceiver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attach, time some calls, detach, a hundred times on one JVM (through the attach API and the agent's MBean, as the
 * commands do, without a JVM start per command): each attached window counts exactly its calls, the calls between
 * windows run the original bytecode, and the target's heap after GC stays flat.
 */
class AttachCyclesForkedIT {
    private static final int CYCLES = 100;
    private static final int CALLS = 3;

    static List<Path> jdks() {
        return Jdks.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void aHundredAttachDetachCycles(Path jdk) throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            Process app = new ForkedApp(jdk).withoutAgent().jvm("-XX:+EnableDynamicAgentLoading").start("wait");
            BufferedReader stdout = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
            OutputStream stdin = app.getOutputStream();
            String pid = Long.toString(app.pid());
            try {
                assertTrue(stdout.readLine().startsWith("READY"));
                VirtualMachine vm = VirtualMachine.attach(pid);
                List<Long> heap = new ArrayList<>();
                try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()))) {
                    MBeanServerConnection server = jmx.getMBeanServerConnection();
                    ObjectName name = new ObjectName("io.monasca.agent:type=Agent");
                    AgentControlMBean agent = JMX.newMBeanProxy(server, name, AgentControlMBean.class);
                    MemoryMXBean memory = JMX.newMXBeanProxy(server, new ObjectName(ManagementFactory.MEMORY_MXBEAN_NAME),
                            MemoryMXBean.class);
                    for (int cycle = 1; cycle <= CYCLES; cycle++) {
                        vm.loadAgent(ForkedApp.AGENT_JAR.toString(), "profile=none,interval=60s,statsd.host=127.0.0.1,"
                                + "statsd.port=" + statsd.port() + ",op.calc=io.monasca.testapp.Work[count]");
                        call(stdin, stdout, CALLS);
                        assertTrue(agent.detach().startsWith("detached: 1 instrumented class restored"));
                        call(stdin, stdout, 1); // the original bytecode: not counted
                        int expected = CALLS * cycle;
                        statsd.awaitLines(l -> AgentForkedIT.sumInstance(statsd, "calc.completed") == expected,
                                Duration.ofSeconds(10));
                        if (cycle == 10 || cycle == CYCLES) {
                            memory.gc();
                            memory.gc();
                            heap.add(memory.getHeapMemoryUsage().getUsed());
                        }
                    }
                } finally {
                    vm.detach();
                }
                ReliabilityForkedIT.figure(jdk.getFileName() + " attach/detach: heap after GC at cycle 10 and 100 (bytes)", heap);
                assertEquals(CALLS * CYCLES, AgentForkedIT.sumInstance(statsd, "calc.completed"));
                assertTrue(heap.get(1) - heap.get(0) < 4 << 20, heap::toString);
            } finally {
                stdin.close();
                assertTrue(app.waitFor(20, TimeUnit.SECONDS));
            }
            assertEquals(0, app.exitValue());
        }
    }

    private static void call(OutputStream stdin, BufferedReader stdout, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            stdin.write('c');
            stdin.flush();
            assertEquals("CALLED", stdout.readLine());
        }
    }
}
