package io.monasca.agent.cli;

import io.monasca.agent.config.AgentSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A refused attach lists what is wrong with each setting, never what the agent would have done instead. */
class RefusalsTest {
    private static final String EVERY_KIND = "oops,statsd.port=abc,statsd.host=bad host,statsd.format=graphite,"
            + "interval=soon,prefix=has space,per-thread=sometimes,profile=python,instance=a{b},dimensions=_bad:1,"
            + "op.self=io.monasca.agent.recording.Recorder[enter],op.calc=,nosuchkey=1,config=/no/such/file,"
            + "op.flush=Repo[";

    @Test
    void everyProblemLosesItsOutcomeAndKeepsWhatIsWrong() {
        List<String> problems = AgentSettings.parse(EVERY_KIND, new Properties(), Map.of()).problems;
        assertTrue(problems.size() >= 15, problems::toString);
        for (String problem : problems) {
            String refusal = Refusals.withoutOutcome(problem);
            for (String outcome : List.of("using ", "ignored", "skipped", "dropped", "not timed", "does not start",
                    "not used", "no instance dimension")) {
                assertFalse(refusal.contains(outcome), () -> "'" + outcome + "' left in: " + refusal);
            }
            assertTrue(refusal.length() > 20 && problem.startsWith(refusal.substring(0, 15)), refusal);
        }
    }

    @Test
    void examples() {
        assertEquals("key 'statsd.port' = 'abc' (from agent argument): not a whole number from 1 to 65535",
                Refusals.withoutOutcome("key 'statsd.port' = 'abc' (from agent argument): not a whole number from 1"
                        + " to 65535; using 8125"));
        assertEquals("unknown key 'x' (from agent argument) (known: [a, b])",
                Refusals.withoutOutcome("unknown key 'x' (from agent argument); ignored (known: [a, b])"));
        assertEquals("key 'op.calc' (from agent argument) is empty",
                Refusals.withoutOutcome("key 'op.calc' (from agent argument) is empty: operation 'calc' is not timed"));
    }
}
