package io.monasca.perf.run;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file the sample persister writes instead of InfluxDB: every point of a run as a line of line protocol, about
 * 1.5 GB for a default toggle run. Once its lines are counted (the cross-check), only a sample a reader can look at
 * is kept: the first {@value #SAMPLE_LINES} lines, as {@value #SAMPLE_NAME} beside it; the file itself is deleted,
 * so that repeated runs do not fill the disk.
 */
public final class LineProtocolFile {
    public static final int SAMPLE_LINES = 1000;
    public static final String SAMPLE_NAME = "points-sample.lp";
    /** For the report and the output: what is kept of the file. */
    public static final String KEPT = "its lines are counted, then it is deleted but for its first " + SAMPLE_LINES
            + " lines, kept as " + SAMPLE_NAME + " beside it (a default run writes about 1.5 GB)";

    private LineProtocolFile() {
    }

    /** Counts the file's points (non-blank lines), keeps the sample, deletes the file; 0 when there is no file. */
    public static long countAndTrim(Path file) throws IOException {
        if (!Files.exists(file)) return 0;
        long points = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             BufferedWriter sample = Files.newBufferedWriter(file.resolveSibling(SAMPLE_NAME), StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) continue;
                if (points < SAMPLE_LINES) {
                    sample.write(line);
                    sample.newLine();
                }
                points++;
            }
        }
        Files.delete(file);
        return points;
    }
}
