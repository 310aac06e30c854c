package io.monasca.sample.persister.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import io.monasca.sample.persister.repository.Point;

class MetricMessageParserTest {

    private final MetricMessageParser parser = new MetricMessageParser(4096);

    @Test
    void parsesAMonascaEnvelope() throws Exception {
        Point point = parser.parse("{\"metric\":{\"timestamp\":1700000000123,\"name\":\"cpu.idle_perc\","
                + "\"dimensions\":{\"hostname\":\"h1\",\"service\":\"monitoring\"},\"value\":97.5,\"value_meta\":null},"
                + "\"meta\":{\"region\":\"RegionOne\",\"tenantId\":\"abc\"},\"creation_time\":1700000000}");
        assertEquals("cpu.idle_perc", point.measurement());
        assertEquals(Map.of("hostname", "h1", "service", "monitoring", "_tenant_id", "abc", "_region", "RegionOne"),
                point.tags());
        assertEquals(97.5, point.value());
        assertEquals("{}", point.valueMeta(), "monasca-persister stores \"{}\" for a metric without value_meta");
        assertEquals(1700000000123L, point.timestampMillis());
    }

    @Test
    void keepsValueMetaAsJsonAndAcceptsIntegersAndMissingDimensions() throws Exception {
        Point point = parser.parse("{\"metric\":{\"timestamp\":1700000000000,\"name\":\"m\",\"value\":3,"
                + "\"value_meta\":{\"msg\":\"a \\\"b\\\"\"}},\"meta\":{\"region\":\"r\",\"tenantId\":\"t\"}}");
        assertEquals(3.0, point.value());
        assertEquals("{\"msg\":\"a \\\"b\\\"\"}", point.valueMeta());
        assertEquals(Map.of("_tenant_id", "t", "_region", "r"), point.tags());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON                 | {oops                                                                        | not JSON",
        "not an object            | [1,2]                                                                        | not a JSON object",
        "missing metric           | {'meta':{'region':'r','tenantId':'t'}}                                       | missing 'metric'",
        "missing meta             | {'metric':{'name':'m','value':1,'timestamp':1}}                              | missing 'meta'",
        "missing name             | {'metric':{'value':1,'timestamp':1},'meta':{'region':'r','tenantId':'t'}}    | missing 'metric.name'",
        "name not a string        | {'metric':{'name':5,'value':1,'timestamp':1},'meta':{'region':'r','tenantId':'t'}} | 'metric.name' is not a string",
        "empty name               | {'metric':{'name':'','value':1,'timestamp':1},'meta':{'region':'r','tenantId':'t'}} | 1 to 255",
        "comment name             | {'metric':{'name':'#x','value':1,'timestamp':1},'meta':{'region':'r','tenantId':'t'}} | must not start with '#'",
        "missing value            | {'metric':{'name':'m','timestamp':1},'meta':{'region':'r','tenantId':'t'}}   | missing 'metric.value'",
        "value a string           | {'metric':{'name':'m','value':'1','timestamp':1},'meta':{'region':'r','tenantId':'t'}} | 'metric.value' is not a number",
        "value NaN as text        | {'metric':{'name':'m','value':'NaN','timestamp':1},'meta':{'region':'r','tenantId':'t'}} | 'metric.value' is not a number",
        "value infinite           | {'metric':{'name':'m','value':1e999,'timestamp':1},'meta':{'region':'r','tenantId':'t'}} | not finite",
        "value NaN literal        | {'metric':{'name':'m','value':NaN,'timestamp':1},'meta':{'region':'r','tenantId':'t'}} | not JSON",
        "missing timestamp        | {'metric':{'name':'m','value':1},'meta':{'region':'r','tenantId':'t'}}       | missing 'metric.timestamp'",
        "negative timestamp       | {'metric':{'name':'m','value':1,'timestamp':-5},'meta':{'region':'r','tenantId':'t'}} | out of range",
        "dimensions not an object | {'metric':{'name':'m','value':1,'timestamp':1,'dimensions':[]},'meta':{'region':'r','tenantId':'t'}} | 'metric.dimensions' is not an object",
        "dimension not a string   | {'metric':{'name':'m','value':1,'timestamp':1,'dimensions':{'a':1}},'meta':{'region':'r','tenantId':'t'}} | dimension 'a' is not a string",
        "time dimension           | {'metric':{'name':'m','value':1,'timestamp':1,'dimensions':{'time':'x'}},'meta':{'region':'r','tenantId':'t'}} | dimension key 'time' is reserved",
        "reserved dimension       | {'metric':{'name':'m','value':1,'timestamp':1,'dimensions':{'_tenant_id':'x'}},'meta':{'region':'r','tenantId':'t'}} | starts with '_'",
        "newline in dimension     | {'metric':{'name':'m','value':1,'timestamp':1,'dimensions':{'a':'x\\ny'}},'meta':{'region':'r','tenantId':'t'}} | control character",
        "value_meta a string      | {'metric':{'name':'m','value':1,'timestamp':1,'value_meta':'x'},'meta':{'region':'r','tenantId':'t'}} | 'metric.value_meta' is not an object",
        "missing tenant           | {'metric':{'name':'m','value':1,'timestamp':1},'meta':{'region':'r'}}        | missing 'meta.tenantId'",
        "missing region           | {'metric':{'name':'m','value':1,'timestamp':1},'meta':{'tenantId':'t'}}      | missing 'meta.region'",
    })
    void rejectsMalformedMessages(String description, String message, String reason) {
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> parser.parse(message.replace('\'', '"')));
        assertTrue(e.getMessage().contains(reason), () -> description + ": " + e.getMessage());
    }

    @Test
    void acceptsAnArrayOfEnvelopesAsTheJavaPersisterDoes() throws Exception {
        String one = "{\"metric\":{\"timestamp\":1700000000000,\"name\":\"a\",\"value\":1},"
                + "\"meta\":{\"region\":\"r\",\"tenantId\":\"t\"}}";
        String two = one.replace("\"a\"", "\"b\"").replace("\"value\":1", "\"value\":2");
        List<Point> points = parser.parseAll("[" + one + "," + two + "]");
        assertEquals(List.of("a", "b"), points.stream().map(Point::measurement).toList());
        assertEquals(2.0, points.get(1).value());
        assertEquals(1, parser.parseAll(one).size(), "a single envelope is an array of one");

        for (String[] bad : new String[][] {
                {"[1,2,3]", "array element 0 is not a JSON object"},
                {"[]", "an empty array"},
                {"[" + one + ",{\"metric\":{}}]", "array element 1: missing 'meta'"},
                {"42", "not a JSON object or array"}}) {
            MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> parser.parseAll(bad[0]));
            assertTrue(e.getMessage().contains(bad[1]), bad[0] + ": " + e.getMessage());
        }
    }

    @Test
    void rejectsOversizedMessages() {
        String big = "{\"metric\":{\"name\":\"" + "x".repeat(5000) + "\"}}";
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> parser.parse(big));
        assertTrue(e.getMessage().startsWith("oversized"), e.getMessage());
    }
}
