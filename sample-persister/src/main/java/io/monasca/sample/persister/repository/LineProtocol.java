package io.monasca.sample.persister.repository;

import java.util.List;
import java.util.Map;

/** InfluxDB 1.x line protocol with millisecond timestamps: {@code measurement,tag=v value=1.5,value_meta="{}" 1700000000000}. */
public final class LineProtocol {

    private LineProtocol() {
    }

    /** The batch as line protocol, one point a line, each line ended by a newline. */
    public static String lines(List<Point> batch) {
        StringBuilder out = new StringBuilder(batch.size() * 128);
        for (Point point : batch) {
            appendLine(out, point);
        }
        return out.toString();
    }

    static void appendLine(StringBuilder out, Point point) {
        escape(out, point.measurement(), false);
        for (Map.Entry<String, String> tag : point.tags().entrySet()) {
            out.append(',');
            escape(out, tag.getKey(), true);
            out.append('=');
            escape(out, tag.getValue(), true);
        }
        out.append(" value=").append(Double.toString(point.value()));
        if (point.valueMeta() != null) {
            out.append(",value_meta=\"");
            for (int i = 0; i < point.valueMeta().length(); i++) {
                char c = point.valueMeta().charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append(c);
            }
            out.append('"');
        }
        out.append(' ').append(point.timestampMillis()).append('\n');
    }

    /** Measurements escape commas and spaces; tag keys and values also equals signs. */
    private static void escape(StringBuilder out, String text, boolean tag) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ',' || c == ' ' || (tag && c == '=')) {
                out.append('\\');
            }
            out.append(c);
        }
    }
}
