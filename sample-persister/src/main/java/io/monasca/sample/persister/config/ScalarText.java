package io.monasca.sample.persister.config;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

/**
 * Reads any YAML scalar as its text, so {@code max.poll.records: 1000} and {@code max.poll.records: "1000"}
 * mean the same; a list or map is refused.
 */
final class ScalarText extends StdDeserializer<String> {

    ScalarText() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.currentToken().isScalarValue()) {
            return parser.getText();
        }
        return (String) context.handleUnexpectedToken(String.class, parser.currentToken(), parser,
                "expected a string, number or boolean, not %s", parser.currentToken());
    }
}
