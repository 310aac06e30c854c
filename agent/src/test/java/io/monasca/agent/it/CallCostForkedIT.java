package io.monasca.agent.it;

import io.monasca.agent.control.AgentControlMBean;
import io.monasca.testkit.statsd.StatsdLine;
import io.monasca.testkit.statsd.StatsdReceiver;
import org.junit.jupiter.api.Test;

import javax.management.JMX;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MBean's call-cost calibration ({@code calibrateCallCost}) in a forked JVM with the shipped jar: it finds a
 * known cost injected into each timed call, answers plausibly over JMX, refuses when timing is off and when the
 * agent is detached, and sends nothing: no series of its own, no change to the real operation's counts.
 */
class CallCostForkedIT {
    private static final String P = "monasca.persister.";
    private static final int CALC_CALLS = 1_234;

    @Test
    void calibrationFindsAnInjectedCostRefusesWhenOffAndSendsNothing() throws Exception {
        try (StatsdReceiver statsd = new StatsdReceiver()) {
            Process app = new ForkedApp(Path.of(System.getProperty("java.home")))
                    .agent("profile=none,interval=200ms,per-thread=true,statsd.port=" + statsd.port()
                            + ",op.calc=io.monasca.testapp.Work[count]")
                    .start("call-cost", Integer.toString(CALC_CALLS));
            BufferedReader stdout = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
            List<String> costs = new ArrayList<>();
            try {
                String line;
                while ((line = stdout.readLine()) != null && !line.startsWith("READY")) {
                    if (line.startsWith("COST ")) costs.add(line);
                }
                assertTrue(line != null, () -> "the app ended early: " + costs);
                assertInjectedCostFound(costs);

                try (AgentJmx jmx = AgentJmx.connect(app, Duration.ofSeconds(5))) {
                    AgentControlMBean agent = jmx.agent;

                    double[] cost = agent.calibrateCallCost(5_000);
                    System.out.println("calibrateCallCost(5000) over JMX: " + java.util.Arrays.toString(cost) + "; in the app: " + costs);
                    assertEquals(7, cost.length);
                    assertTrue(cost[0] > 0 && cost[0] < 5_000, () -> "ns per timed call " + cost[0]);
                    assertTrue(cost[1] <= cost[0] && cost[0] <= cost[2], () -> "min <= median <= max: " + List.of(cost[1], cost[0], cost[2]));
                    assertTrue(cost[3] >= 1 && cost[3] <= 5, () -> "repetitions " + cost[3]);
                    assertEquals(5_000, cost[4]);
                    assertTrue(cost[5] > 0, () -> "clock pair " + cost[5]);
                    assertEquals(1, cost[6], "timed in the thread's CPU time (Linux, HotSpot)");

                    Exception tooFew = assertThrows(Exception.class, () -> agent.calibrateCallCost(10));
                    assertTrue(String.valueOf(rootMessage(tooFew)).contains("1000 to 20000"), () -> rootMessage(tooFew));

                    agent.disable();
                    Exception off = assertThrows(Exception.class, () -> agent.calibrateCallCost(5_000));
                    assertTrue(String.valueOf(rootMessage(off)).startsWith("timing is off"), () -> rootMessage(off));
                    agent.enable();
                    agent.calibrateCallCost(5_000);

                    agent.detach();
                    Exception detached = assertThrows(Exception.class, () -> agent.calibrateCallCost(5_000));
                    assertTrue(String.valueOf(rootMessage(detached)).startsWith("the agent is detached"), () -> rootMessage(detached));
                }
            } finally {
                app.getOutputStream().close();
                assertTrue(app.waitFor(20, TimeUnit.SECONDS));
            }
            // the detach sent the last interval: every series is the real operation's or the agent's own
            statsd.awaitLines(lines -> lines.stream().anyMatch(l -> l.name().equals(P + "agent.errors")), Duration.ofSeconds(10));
            for (StatsdLine l : statsd.lines()) {
                assertTrue(l.name().startsWith(P + "calc.") || l.name().startsWith(P + "agent."), () -> "series " + l);
                assertTrue(!l.dimensions().containsKey("thread") || l.dimensions().get("thread").equals("main"),
                        () -> "a thread other than the app's timed calc: " + l);
            }
            assertEquals(CALC_CALLS, statsd.sum(P + "calc.received", Map.of()));
            assertEquals(CALC_CALLS, statsd.sum(P + "calc.completed", Map.of()));
        }
    }

    /**
     * In at least one of the app's attempts (the machine is shared: a repetition can be spoilt), the calibration
     * with the injected payload is the plain one plus the payload's cost measured alone, give or take 25 %; and the
     * plain one is a few clock reads, not nothing and not microseconds.
     */
    private static void assertInjectedCostFound(List<String> costs) {
        assertEquals(3, costs.size(), costs::toString);
        boolean found = false;
        for (String line : costs) {
            double plain = value(line, "plain");
            double injected = value(line, "injected");
            assertTrue(plain > 0 && plain < 2_000, () -> "plain ns per timed call: " + line);
            double payload = value(line, "payload");
            assertTrue(payload > 300, () -> "the payload costs too little to be told from noise: " + line);
            double added = injected - plain;
            found |= added >= 0.75 * payload && added <= 1.25 * payload;
        }
        assertTrue(found, () -> "the injected payload's cost per call not found: " + costs);
    }

    private static double value(String line, String key) {
        for (String part : line.split(" ")) {
            if (part.startsWith(key + "=")) return Double.parseDouble(part.substring(key.length() + 1));
        }
        throw new AssertionError(key + " not in " + line);
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage();
    }
}
