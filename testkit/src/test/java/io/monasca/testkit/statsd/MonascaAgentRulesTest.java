package io.monasca.testkit.statsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.monasca.testkit.statsd.MonascaAgentRules.Effect;
import io.monasca.testkit.statsd.MonascaAgentRules.Violation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MonascaAgentRulesTest {

    private static final String LONG = "x".repeat(255);
    private static final String TOO_LONG = "x".repeat(256);

    /** Each rule: a line the daemon aborts on, the message part expected, and a close line that is accepted. */
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '`', value = {
        "`a:1`                                => no '|type'                      => `a:1|c`",
        "`a:1|c|`                             => is empty                        => `a:1|c|@1`",
        "`a:x|g`                              => not a number                    => `a:1.5|g`",
        "`a:nan|g`                            => not finite                      => `a:0|g`",
        "`a:-inf|g`                           => not finite                      => `a:-1e308|g`",
        "`a:1|c|@0`                           => sample rate 0                   => `a:1|g|@0`",
        "`a:1|c|@2`                           => not within 0..1                 => `a:1|c|@0.5`",
        "`:1|c`                               => not 1..255                      => `a:1|c`",
        "`a b:1|c`                            => contains one of                 => `a_b:1|c`",
        "`a(b):1|c`                           => contains one of                 => `a.b:1|c`",
        "`a=b:1|c`                            => contains one of                 => `a-b:1|c`",
        "`a;b:1|c`                            => contains one of                 => `a/b:1|c`",
        "`a\\b:1|c`                           => contains one of                 => `a|b:1|c`",
        "`a:1|c|#{'': 'v'}`                   => dimension key '' has 0          => `a:1|c|#{'k': 'v'}`",
        "`a:1|c|#{'k': ''}`                   => value of dimension 'k' has 0    => `a:1|c|#{'k': ' '}`",
        "`a:1|c|#{'_k': 'v'}`                 => starts with '_'                 => `a:1|c|#{'k_': 'v'}`",
        "`a:1|c|#{'k': 'a,b'}`                => contains one of                 => `a:1|c|#{'k': 'a b'}`",
        "`a:1|c|#{'k': 'a=b'}`                => contains one of                 => `a:1|c|#{'k': 'a:b'}`",
        "`a:1|c|#{'k': 'a\\\\b'}`             => contains one of                 => `a:1|c|#{'k': 'a/b'}`",
        "`a:1|c|#{'k': '\"'}`                 => contains one of                 => `a:1|c|#{'k': \"'\"}`",
        "`a:1|c|#{'k&': 'v'}`                 => contains one of                 => `a:1|c|#{'k(': 'v'}`",
        "`a:1|c|#{'k': 1}`                    => not a str                       => `a:1|c|#{'k': '1'}`",
        "`a:1|c|#{'k': 'a|b'}`                => unterminated string             => `a:1|c|#{'k': 'a/b'}`",
        "`a:1|c|#{'k' 'v'}`                   => a set, not a dict               => `a:1|c|#{'k': 'v'}`",
    })
    void eachRuleAbortsTheDatagramAndItsNeighbourPasses(String bad, String expected, String good) {
        List<String> violations = MonascaAgentRules.violations(bad);
        assertFalse(violations.isEmpty(), bad);
        assertTrue(violations.stream().anyMatch(v -> v.contains(expected.strip())), violations.toString());
        assertTrue(violations.stream().allMatch(v -> v.startsWith("ABORTS_DATAGRAM")), violations.toString());
        assertTrue(MonascaAgentRules.abortsDatagram(bad));
        assertEquals(List.of(), MonascaAgentRules.violations(good), good);
        assertFalse(MonascaAgentRules.abortsDatagram(good));
    }

    @Test
    void lengthLimitsAreInclusive() {
        assertEquals(List.of(), MonascaAgentRules.violations(LONG + ":1|g|#{'" + LONG + "': '" + LONG + "'}"));
        assertEquals(3, MonascaAgentRules.violations(TOO_LONG + ":1|g|#{'" + TOO_LONG + "': '" + TOO_LONG + "'}")
                .size());
        // Python counts code points: 255 emoji are 510 Java chars and still fine
        String emoji = "\ud83d\ude00".repeat(255);
        assertEquals(List.of(), MonascaAgentRules.violations(emoji + ":1|g"));
    }

    @Test
    void reportsEveryValidationFailureOfALine() {
        List<String> violations = MonascaAgentRules.violations("a b:nan|g|#{'_k': ''}");
        assertEquals(4, violations.size(), violations.toString()); // key '_', empty value, name, value
    }

    @ParameterizedTest
    @ValueSource(strings = {"users:alice|s", "a:1|x", "a:1|c\r", "a:1||c", "_e{5,4}:title|text"})
    void unsupportedTypesAndEventsAreOnlyDropped(String line) {
        List<Violation> found = MonascaAgentRules.check(line);
        assertEquals(1, found.size(), found.toString());
        assertEquals(Effect.DROPPED_WITH_WARNING, found.get(0).effect());
        assertFalse(MonascaAgentRules.abortsDatagram(line));
        assertEquals(1, MonascaAgentRules.violations(line).size());
    }

    @Test
    void anUnsupportedTypeStillAbortsWhenItsFieldsDoNotParse() {
        assertTrue(MonascaAgentRules.abortsDatagram("a:1|x|#{'k': 1"));
        assertTrue(MonascaAgentRules.abortsDatagram("a:one|x"));
    }

    @Test
    void nonStrDimensionsFailValidationNotParsing() {
        // literal_eval accepts {'k': 1}; only validation rejects it, and validation never runs for a dropped type
        assertFalse(MonascaAgentRules.abortsDatagram("a:1|x|#{'k': 1}"));
        assertTrue(MonascaAgentRules.abortsDatagram("a:1|c|#{'k': 1}"));
        // the last dimension field wins, so an earlier non-str one is harmless; a syntax error never is
        assertEquals(List.of(), MonascaAgentRules.violations("a:1|c|#{'k': 1}|#{'k': 'v'}"));
        assertTrue(MonascaAgentRules.abortsDatagram("a:1|c|#{'k': |#{'k': 'v'}"));
    }

    @Test
    void aSeriesThatStartedAsACounterDividesByItsSampleRate() {
        byte[] datagram = "a:2|c\na:1|g|@0".getBytes(StandardCharsets.UTF_8);
        List<String> violations = MonascaAgentRules.violations(datagram);
        assertEquals(1, violations.size(), violations.toString());
        assertTrue(violations.get(0).contains("line 2: a counter with sample rate 0"), violations.toString());
        assertEquals(List.of(), MonascaAgentRules.violations("a:2|g\na:1|c|@0".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void dogstatsdTagsAreReportedAsAlteredWithTheDaemonsView() {
        List<Violation> found = MonascaAgentRules.check("a:1|c|#service:monitoring,thread:metric-1");
        assertEquals(1, found.size(), found.toString());
        assertEquals(Effect.ALTERED, found.get(0).effect());
        assertTrue(found.get(0).message().contains("{ervice=monitoring, thread=metric-1}"), found.toString());
        assertEquals(List.of(), MonascaAgentRules.violations("a:1|c|#service:monitoring,thread:metric-1"));
        // what the daemon stores is validated: "_k" loses its '_' and passes, "k_x" becomes "_x" and fails
        assertTrue(MonascaAgentRules.abortsDatagram("a:1|c|#k_x:v"));
        assertFalse(MonascaAgentRules.abortsDatagram("a:1|c|#_k:v"));
    }

    @Test
    void serviceChecks() {
        assertEquals(List.of(), MonascaAgentRules.violations("_sc|disk.ok|0|#host:a"));
        assertTrue(MonascaAgentRules.abortsDatagram("_sc|disk.ok|warn"));
        assertTrue(MonascaAgentRules.abortsDatagram("_sc|disk.ok"));
    }

    @Test
    void blankLinesAreFine() {
        assertEquals(List.of(), MonascaAgentRules.violations("  "));
        assertEquals(List.of(), MonascaAgentRules.violations("a:1|c\n\nb:2|g\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aDatagramLosesEverythingAfterTheFirstAbortingLine() {
        byte[] datagram = "a:1|c\nb:nan|g\nc:1|c\nd:1|c".getBytes(StandardCharsets.UTF_8);
        List<String> violations = MonascaAgentRules.violations(datagram);
        assertEquals(2, violations.size(), violations.toString());
        assertTrue(violations.get(0).contains("line 2: ") && violations.get(0).contains("not finite"));
        assertTrue(violations.get(1).contains("lines 3..4 of this datagram are lost"), violations.toString());
    }

    @Test
    void aDatagramMustBeUtf8() {
        byte[] datagram = {'a', ':', '1', '|', 'g', '|', '#', '{', '\'', 'k', '\'', ':', ' ', '\'', (byte) 0xe9, '\'',
            '}'};
        List<String> violations = MonascaAgentRules.violations(datagram);
        assertEquals(1, violations.size());
        assertTrue(violations.get(0).contains("not valid UTF-8"), violations.toString());
        assertEquals(List.of(), MonascaAgentRules.violations("a:1|g|#{'k': '\u00e9'}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aDatagramMustFitTheDaemonsBuffer() {
        String line = "monasca.persister.upsert.received:1|c|#{'service': 'monitoring'}\n";
        String fits = line.repeat(MonascaAgentRules.MAX_DATAGRAM_BYTES / line.length());
        assertEquals(List.of(), MonascaAgentRules.violations(fits.getBytes(StandardCharsets.UTF_8)));
        List<String> violations = MonascaAgentRules.violations((fits + line).getBytes(StandardCharsets.UTF_8));
        assertTrue(violations.get(0).contains("the daemon reads only the first 8192"), violations.toString());
    }
}
