package io.monasca.agent.it;

import io.monasca.agent.control.AgentControlMBean;
import io.monasca.testkit.statsd.StatsdReceiver;
import org.junit.jupiter.api.Test;

import javax.management.JMX;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent's MBean in a running JVM, read and driven over JMX as jconsole would. */
class MBeanForkedIT {
    @Test
    void mbeanShowsAndTogglesTheAgent() throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            Process app = new ForkedApp(Path.of(System.getProperty("java.home")))
                    .agent("profile=none,interval=200ms,statsd.port=" + statsd.port()
                            + ",op.calc=io.monasca.testapp.Work[count],op.none=no.such.Type[run]")
                    .start("wait");
            BufferedReader stdout = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
            try {
                assertTrue(stdout.readLine().startsWith("READY"));
                try (AgentJmx jmx = AgentJmx.connect(app, Duration.ofSeconds(5))) {
                    AgentControlMBean agent = jmx.agent;
                    assertTrue(agent.isEnabled());
                    assertEquals(1, agent.getInstrumentedMethods());
                    assertEquals("localhost:" + statsd.port(), agent.getStatsdTarget());
                    assertEquals(1, agent.getUnmatchedTargets().length);
                    assertTrue(agent.getUnmatchedTargets()[0].contains("no.such.Type"));
                    agent.setEnabled(false);
                    assertFalse(agent.isEnabled());
                    assertEquals("timing is now on (it was off)", agent.enable());
                    assertEquals("timing was already on", agent.enable());
                }
            } finally {
                app.getOutputStream().close();
                assertTrue(app.waitFor(20, TimeUnit.SECONDS));
            }
            String stderr = new String(app.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(stderr.contains("[monasca-agent] INFO timing is now off (it was on)"), stderr);
        }
    }
}
