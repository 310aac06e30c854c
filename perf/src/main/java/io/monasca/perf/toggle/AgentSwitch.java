package io.monasca.perf.toggle;

import io.monasca.perf.run.RunSettings;

import java.io.IOException;
import java.util.Properties;

/**
 * Turns the agent in the persister on and off, the way the user picked, as the agent's own commands do:
 * <ul>
 *   <li>{@code enable}: the agent was loaded with {@code -javaagent}, once; its MBean's {@code enable} and
 *   {@code disable} switch its timing. The woven code stays in the persister's methods; off, it only skips the clock and the
 *   recording (one read of a volatile flag per call), and the exporter goes on sending (zero) intervals.</li>
 *   <li>{@code attach}: on loads the agent jar with its settings (it weaves the methods), off is its MBean's
 *   {@code detach}, which
 *   restores the original bytecode, sends the last interval and stops the agent. Off is then the persister without
 *   any agent, so on versus off is the whole cost of the woven code, its recording and its exporter.</li>
 * </ul>
 * Each switch is checked: the agent's system properties must say it happened.
 */
final class AgentSwitch {
    private final String mode;
    private final PersisterJvm jvm;
    private final String jar;
    private final String options;

    AgentSwitch(String mode, PersisterJvm jvm, String jar, String options) {
        this.mode = mode;
        this.jvm = jvm;
        this.jar = jar;
        this.options = options;
    }

    /** How the agent is switched, for the output and the report. */
    String how() {
        return mode.equals(RunSettings.ENABLE) ? "its MBean's enable / disable (the woven code stays)"
                : "attach (loading its jar) / its MBean's detach (the original bytecode is restored)";
    }

    /** Waits until the agent loaded with -javaagent says it runs (it sets its properties in premain). */
    void awaitRunning() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"running".equals(jvm.properties().getProperty(PersisterJvm.STATE_PROPERTY))) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the agent loaded with -javaagent does not run in the persister (process " + jvm.pid()
                        + "): state " + jvm.properties().getProperty(PersisterJvm.STATE_PROPERTY) + "; see the persister's log");
            }
            Thread.sleep(50);
        }
    }

    /** Switches to {@code on} or {@code off}; returns what the agent's properties say now. */
    String switchTo(String state) throws IOException {
        boolean on = state.equals("on");
        // only an attach loads the jar; a running agent is switched through its MBean, as its own commands do
        String argument = mode.equals(RunSettings.ENABLE) ? (on ? "enable" : "disable") : on ? options : "detach";
        if (mode.equals(RunSettings.ATTACH) && on) {
            jvm.loadAgent(jar, argument);
        } else {
            jvm.agentOperation(argument);
        }
        Properties p = jvm.properties();
        String agentState = p.getProperty(PersisterJvm.STATE_PROPERTY);
        String timing = p.getProperty(PersisterJvm.TIMING_PROPERTY);
        boolean done = mode.equals(RunSettings.ENABLE)
                ? "running".equals(agentState) && (on ? "on" : "off").equals(timing)
                : on ? "running".equals(agentState) && "on".equals(timing) : "detached".equals(agentState);
        if (!done) {
            throw new IOException("switching the agent " + state + " in the persister (process " + jvm.pid() + ") with '"
                    + argument + "' did not take: agent state " + agentState + ", timing " + timing + " (another tool "
                    + "driving the agent on this machine? see the persister's log)");
        }
        return mode.equals(RunSettings.ENABLE) ? "timing " + timing : "detached".equals(agentState) ? "detached" : "attached";
    }
}
