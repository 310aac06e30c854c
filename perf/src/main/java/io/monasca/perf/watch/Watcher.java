package io.monasca.perf.watch;

import io.monasca.perf.run.ProgressLine;
import io.monasca.perf.source.MetricSource;
import io.monasca.perf.source.Reading;
import io.monasca.perf.source.SourceException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * persister_perf.sh's job against persisters someone else runs: poll a source until {@code target} more metrics
 * are persisted than at the start, print progress, and write
 * {@code persister_perf_<timestamp>/persister_perf_output.txt}. Counts are taken relative to the first reading,
 * as the script did, so persisters that already ran do not distort the averages. The first read must succeed (a
 * wrong host or port fails at once); a later failed read is logged and retried at the next poll until the timeout.
 */
public final class Watcher {
    private final MetricSource source;
    private final long target;
    private final Duration poll;
    private final Duration timeout;
    private final PrintStream out;
    private final boolean terminal;

    public Watcher(MetricSource source, long target, Duration poll, Duration timeout, PrintStream out, boolean terminal) {
        this.source = source;
        this.target = target;
        this.poll = poll;
        this.timeout = timeout;
        this.out = out;
        this.terminal = terminal;
    }

    /** Result of a watch: what was counted, in how long, and whether the target was reached. */
    public record Outcome(Reading start, Reading end, double seconds, boolean reached, Path outputFile) {
    }

    public Outcome watch(Path baseFolder) throws SourceException, IOException, InterruptedException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"));
        Path folder = baseFolder.resolve("persister_perf_" + stamp);
        Reading start = source.read();
        long startNanos = System.nanoTime();
        out.printf("Watching %s source: start counts received %,d, persisted %,d; waiting for %,d more persisted%n",
                source.name(), start.received(), start.persisted(), target);
        ProgressLine progress = new ProgressLine(out, terminal, 0, "[watch]", target);
        Reading now = start;
        boolean reached = false;
        double seconds = 0;
        while (true) {
            Thread.sleep(poll.toMillis());
            seconds = (System.nanoTime() - startNanos) / 1e9;
            try {
                now = source.read();
            } catch (SourceException failedRead) {
                // a persister restarting, a network hiccup: say so and try again at the next poll, until the timeout
                progress.finish();
                out.printf(Locale.ROOT, "[watch] %.1f s: read failed, retrying every %d ms until the %d s timeout: %s%n",
                        seconds, poll.toMillis(), timeout.toSeconds(), failedRead.getMessage());
                if (seconds > timeout.toSeconds()) break;
                continue;
            }
            Reading delta = now.minus(start);
            progress.update(seconds, delta);
            if (delta.persisted() >= target) {
                reached = true;
                break;
            }
            if (seconds > timeout.toSeconds()) break;
        }
        progress.finish();
        Path file = write(folder, start, now, seconds, reached);
        return new Outcome(start, now, seconds, reached, file);
    }

    private Path write(Path folder, Reading start, Reading end, double seconds, boolean reached) throws IOException {
        Files.createDirectories(folder);
        Reading delta = end.minus(start);
        List<String> lines = new ArrayList<>();
        lines.add("Source: " + source.name());
        lines.add("Target persisted metric count: " + target + (reached ? " (reached)" : " (NOT reached before the timeout)"));
        lines.add("Total received metric count at start: " + start.received());
        lines.add("Total persisted metric count at start: " + start.persisted());
        lines.add("Total received metric count at end: " + end.received());
        lines.add("Total persisted metric count at end: " + end.persisted());
        lines.add(String.format(Locale.ROOT, "Total elapsed time: %.3f", seconds));
        lines.add(String.format(Locale.ROOT, "Average received metrics/second: %.0f", seconds > 0 ? delta.received() / seconds : 0));
        lines.add(String.format(Locale.ROOT, "Average persisted metrics/second: %.0f", seconds > 0 ? delta.persisted() / seconds : 0));
        if (source instanceof io.monasca.perf.source.StatsdSource statsd) {
            io.monasca.perf.source.PercentileValues percentiles = statsd.allPercentiles();
            if (percentiles.isEmpty()) {
                lines.add("Percentiles: none received (the agent sends them unless percentiles=none)");
            } else {
                lines.add("Percentiles per agent interval (the agent's <operation>.time.p<q>):");
                percentiles.lines().forEach(l -> lines.add("  " + l));
            }
        }
        Path file = folder.resolve("persister_perf_output.txt");
        Files.write(file, lines);
        lines.forEach(out::println);
        return file;
    }
}
