package io.monasca.perf.path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.monasca.perf.source.SourceException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds the production path to a written report: {@code summary.monasca_path} in report.json, a section in report.md,
 * a line on the console. A path that lost or refused points makes a run that agreed otherwise a mismatch.
 */
public final class PathReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PathReport() {
    }

    /** @return the run's exit code, {@code mismatchCode} instead of 0 when the path has a problem */
    public static int add(Path folder, MonascaPath path, String timing, int exitCode, int mismatchCode, PrintStream out) throws IOException {
        List<String> problems = new ArrayList<>();
        ObjectNode summary = path.summary(timing);
        problems.addAll(path.problems(summary));
        Path json = folder.resolve("report.json");
        if (Files.exists(json)) {
            JsonNode root = JSON.readTree(json.toFile());
            if (root instanceof ObjectNode object) {
                object.with("summary").set("monasca_path", summary);
                if (!problems.isEmpty()) object.with("summary").set("monasca_path_problems", JSON.valueToTree(problems));
                JSON.writeValue(json.toFile(), object);
            }
        }
        Path md = folder.resolve("report.md");
        if (Files.exists(md)) Files.writeString(md, markdown(summary, problems), StandardOpenOption.APPEND);
        out.println(line(summary));
        if (problems.isEmpty()) return exitCode;
        out.println("MONASCA PATH PROBLEMS (" + problems.size() + "):");
        problems.forEach(p -> out.println("  " + p));
        return exitCode == 0 ? mismatchCode : exitCode;
    }

    static String line(JsonNode s) {
        return "monasca path: posted " + s.path("posted").asLong() + ", rejected " + s.path("rejected").asLong()
                + ", stored " + s.path("stored").asText() + ", lost to the queue limit " + s.path("lost_to_queue_limit").asLong()
                + ", handled by the persister under test " + s.path("handled_by_persister_under_test").asLong()
                + " (outside every measured window or round); readable through the API " + s.path("delay_seconds_p50").asText("-") + " s after an interval's end (median), "
                + s.path("delay_seconds_max").asText("-") + " s at most (" + s.path("delay_samples").asLong() + " intervals)";
    }

    static String markdown(JsonNode s, List<String> problems) {
        StringBuilder md = new StringBuilder("\n## The agent's metrics on Monasca's production path\n\n");
        md.append("statsd daemon -> forwarder -> Monasca API (stand-in) -> Kafka (the run's topic) -> the persister under test "
                + "-> InfluxDB (its database) -> Monasca API GET -> monasca source. ").append(s.path("setup").asText()).append(".\n\n");
        md.append("The pipeline's messages are stored by the persister under test between windows (after a round's load in "
                + "`--mode restart`), never inside one: the windows' counts, CPU time and throughput are the load's alone. "
                + "Where the agent was on at such an edge, it timed that work too, and the window's statsd and monasca counts "
                + "hold those messages beside its load (report.json: `windows[].pipeline_counted`).\n\n");
        md.append("| posted | rejected | stored | handled by the persister under test | lost to queue limit | failed POSTs | posts | delay p50 (s) | delay max (s) |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        md.append("| ").append(s.path("posted").asLong()).append(" | ").append(s.path("rejected").asLong()).append(" | ")
                .append(s.path("stored").asText()).append(" | ").append(s.path("handled_by_persister_under_test").asLong()).append(" | ")
                .append(s.path("lost_to_queue_limit").asLong()).append(" | ")
                .append(s.path("failed_posts").asLong()).append(" | ").append(s.path("posts").asLong()).append(" | ")
                .append(s.path("delay_seconds_p50").asText("-"))
                .append(" | ").append(s.path("delay_seconds_max").asText("-")).append(" |\n");
        for (JsonNode reason : s.path("rejections")) md.append("\n- rejected by the API: ").append(reason.asText());
        for (String p : problems) md.append("\n- PROBLEM: ").append(p);
        md.append("\n");
        return md.toString();
    }
}
