package io.monasca.agent.export;

import io.monasca.agent.config.AgentSettings;

import java.util.Iterator;
import java.util.Map;

/**
 * Writes statsd lines: {@code name:value|type|#dimensions}, with dimensions either as python monasca-statsd writes
 * them (a Python dict literal: {@code {'k': 'v', 'k2': 'v2'}}) or as DogStatsD tags ({@code k:v,k2:v2}).
 */
final class LineFormatter {
    private final AgentSettings.Format format;

    LineFormatter(AgentSettings.Format format) {
        this.format = format;
    }

    String format(Series s) {
        StringBuilder line = new StringBuilder(128)
                .append(WireText.metricName(s.name)).append(':').append(s.value)
                .append('|').append(s.kind.statsdType);
        if (!s.dimensions.isEmpty()) {
            line.append("|#");
            if (format == AgentSettings.Format.MONASCA) {
                appendPythonDict(line, s.dimensions);
            } else {
                appendTags(line, s.dimensions);
            }
        }
        return line.toString();
    }

    private static void appendPythonDict(StringBuilder line, Map<String, String> dimensions) {
        line.append('{');
        for (Iterator<Map.Entry<String, String>> it = dimensions.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, String> e = it.next();
            line.append('\'').append(WireText.dimensionKey(e.getKey())).append("': '")
                    .append(WireText.dimensionValue(e.getValue())).append('\'');
            if (it.hasNext()) {
                line.append(", ");
            }
        }
        line.append('}');
    }

    private static void appendTags(StringBuilder line, Map<String, String> dimensions) {
        for (Iterator<Map.Entry<String, String>> it = dimensions.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, String> e = it.next();
            line.append(WireText.dimensionKey(e.getKey())).append(':').append(WireText.dimensionValue(e.getValue()));
            if (it.hasNext()) {
                line.append(',');
            }
        }
    }
}
