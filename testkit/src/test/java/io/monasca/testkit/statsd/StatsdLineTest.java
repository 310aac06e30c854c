package io.monasca.testkit.statsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.monasca.testkit.statsd.StatsdLine.DimensionSyntax;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StatsdLineTest {

    private static final String PERSISTER_LINE = "monasca.persister.upsert.received:3|c|#{'service': 'monitoring', "
            + "'component': 'monasca-persister', 'thread': 'metric-1'}";

    @Test
    void parsesTheMonascaDictFormatKeepingDimensionOrder() {
        StatsdLine line = StatsdLine.parse(PERSISTER_LINE);

        assertEquals("monasca.persister.upsert.received", line.name());
        assertEquals("3", line.valueText());
        assertEquals(3.0, line.value());
        assertEquals("c", line.type());
        assertEquals(1.0, line.sampleRate());
        assertEquals(DimensionSyntax.MONASCA, line.dimensionSyntax());
        assertEquals(List.of("service", "component", "thread"), List.copyOf(line.dimensions().keySet()));
        assertEquals("metric-1", line.dimensions().get("thread"));
        assertEquals(PERSISTER_LINE, line.toWireString());
    }

    @Test
    void parsesDogstatsdTags() {
        StatsdLine line = StatsdLine.parse("flush.time:0.25|g|@0.5|#service:monitoring, thread:metric-2");

        assertEquals(DimensionSyntax.DOGSTATSD, line.dimensionSyntax());
        assertEquals(Map.of("service", "monitoring", "thread", "metric-2"), line.dimensions());
        assertEquals(List.of("service", "thread"), List.copyOf(line.dimensions().keySet()));
        assertEquals(0.5, line.sampleRate());
        assertEquals(0.25, line.value());
        assertEquals("flush.time:0.25|g|@0.5|#service:monitoring,thread:metric-2", line.toWireString());
    }

    @Test
    void dogstatsdTagsWithoutValuesFollowTheDaemon() {
        StatsdLine line = StatsdLine.parse("a:1|c|#flag,empty:,k:v");

        assertEquals(Map.of("flag", "True", "empty", "?", "k", "v"), line.dimensions());
    }

    @Test
    void roundTripsLinesWithoutDimensionsAndWithRates() {
        for (String text : List.of("a.b:1|c", "a.b:-2|c|@0.1", "t:0.001|ms", "h:1e-05|h", "x:7|g|#{}")) {
            assertEquals(text, StatsdLine.parse(text).toWireString(), text);
        }
    }

    @Test
    void readsPythonStringLiterals() {
        StatsdLine line = StatsdLine.parse("a:1|g|#{ \"it's\" :'x\\'y' ,'esc': '\\x41\\u00e9\\N{LATIN SMALL LETTER A}"
                + "\\101\\q', 'joined': 'ab' \"cd\", 'raw': r'\\n', 'dup': '1', 'dup': '2', }");

        assertEquals(List.of("it's", "esc", "joined", "raw", "dup"), List.copyOf(line.dimensions().keySet()));
        assertEquals("x'y", line.dimensions().get("it's"));
        assertEquals("A\u00e9aA\\q", line.dimensions().get("esc"));
        assertEquals("abcd", line.dimensions().get("joined"));
        assertEquals("\\n", line.dimensions().get("raw"));
        assertEquals("2", line.dimensions().get("dup"));
    }

    @Test
    void writesDimensionsAsPythonRepr() {
        StatsdLine line = StatsdLine.parse("a:1|g|#{\"it's\": 'tab\\there', 'q': '\"'}");

        assertEquals("a:1|g|#{\"it's\": 'tab\\there', 'q': '\"'}", line.toWireString());
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", quoteCharacter = '`', value = {
        "a:1|c|#{'k': 1} => the value for key 'k' is an int, not a str",
        "a:1|c|#{'k': True} => is a bool, not a str",
        "a:1|c|#{'k': b'v'} => is a bytes, not a str",
        "a:1|c|#{'k': f'v'} => f-string",
        "a:1|c|#{'k', 'v'} => it is a set, not a dict",
        "a:1|c|#{'k': 'v'}, 'x' => it is a tuple, not a dict",
        "a:1|c|#{'k': foo} => 'f' does not start a literal",
        "a:1|c|#{['k']: 'v'} => unhashable type: 'list'",
        "a:1|c|#{'k': --1} => a number must follow the sign",
        "a:1|c|#{'k': 01} => '01' is not a number",
        "a:1|c|#{'k': 'v' => expected ',' or '}'",
        "a:1|c|#{'k': 'v} => unterminated string",
        "a:1|c|#{'k' = 'v'} => expected ',' or '}'",
        "a:1|c|#{'k': 'v'} x => unexpected text after",
        "a:1|c|#{'k': {'n': 'v'}} => is a dict, not a str",
        "a:1|c|#{'k': '\\x4'} => truncated \\x escape",
    })
    void rejectsDictsThatAreNotFlatStrToStr(String line, String expected) {
        String message = assertThrows(IllegalArgumentException.class,
                () -> StatsdLine.parse(line.strip())).getMessage();
        assertTrue(message.contains(expected.strip()), message);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", quoteCharacter = '`', value = {
        "`no.colon` => no ':'",
        "`a:1` => no '|type'",
        "`a:one|c` => not a number",
        "`a:|c` => not a number",
        "`a:1|c|` => field 3 after '|' is empty",
        "`a:1|c||#{'k': 'v'}` => field 3 after '|' is empty",
        "`a:1|c|@x` => sample rate 'x' is not a number",
        "`a:1|c|@1.5` => not within 0..1",
        "`a:1|c|@nan` => not within 0..1",
        "`a:1|c|#{'k': 'a|b'}` => unterminated string",
        "`_e{5,4}:title|text` => event",
        "`_sc|check|0` => service check",
        "`   ` => blank",
    })
    void rejectsWhatTheDaemonCannotParse(String line, String expected) {
        String message = assertThrows(IllegalArgumentException.class, () -> StatsdLine.parse(line)).getMessage();
        assertTrue(message.contains(expected.strip()), message);
        assertTrue(message.contains(line), "names the line: " + message);
    }

    @ParameterizedTest
    @CsvSource({"1_000, 1000", "' 7 ', 7", "1e3, 1000", "+.5, 0.5", "5., 5", "-0, 0", "1_0.2_5, 10.25"})
    void readsValuesLikePythonIntAndFloat(String text, double expected) {
        assertEquals(expected, StatsdLine.parse("a:" + text + "|g").value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x10", "1__0", "_1", "1_", "1.5f", "Infinityy", "1,5", "١"})
    void rejectsValuesPythonRejects(String text) {
        assertThrows(IllegalArgumentException.class, () -> StatsdLine.parse("a:" + text + "|g"));
    }

    @Test
    void keepsNanAndInfinityForValidationToReject() {
        assertTrue(Double.isNaN(StatsdLine.parse("a:nan|g").value()));
        assertEquals(Double.NEGATIVE_INFINITY, StatsdLine.parse("a:-Infinity|g").value());
    }

    @Test
    void setValuesMayBeText() {
        StatsdLine line = StatsdLine.parse("users:alice|s");
        assertEquals("alice", line.valueText());
        assertTrue(Double.isNaN(line.value()));
    }

    @Test
    void ignoresShortAndUnknownFieldsLikeTheDaemon() {
        StatsdLine line = StatsdLine.parse("a:1|c|#{|x|#k");
        assertEquals(DimensionSyntax.NONE, line.dimensionSyntax());
        assertEquals(Map.of(), line.dimensions());
    }

    @Test
    void parsesDatagramsLineByLine() {
        List<StatsdLine> lines = StatsdLine.parseDatagram("a:1|c\n\nb:2.5|g|#{'k': 'v'}\n");

        assertEquals(2, lines.size());
        assertEquals("a", lines.get(0).name());
        assertEquals(Map.of("k", "v"), lines.get(1).dimensions());
        assertThrows(IllegalArgumentException.class, () -> StatsdLine.parse("a:1|c\nb:2|c"));
    }

    @Test
    void dimensionsAreImmutable() {
        StatsdLine line = StatsdLine.parse(PERSISTER_LINE);
        assertThrows(UnsupportedOperationException.class, () -> line.dimensions().put("x", "y"));
    }
}
