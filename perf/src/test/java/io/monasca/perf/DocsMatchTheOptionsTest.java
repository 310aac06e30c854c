package io.monasca.perf;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every {@code --option} the perf tool's pages show is one {@code perf}, {@code perf run} or {@code perf watch} has,
 * and every option of theirs is documented in perf/README.md: a renamed option cannot leave the docs behind.
 */
class DocsMatchTheOptionsTest {
    /** The pages that show perf options; the README shows only a few, in lines that name the perf tool. */
    private static final Path PERF_README = Path.of("README.md");
    private static final Path FRONT_DOOR = Path.of("../README.md");
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*");
    /** Options of other commands the pages mention (the benchmarks script, Maven). */
    private static final Set<String> NOT_PERFS = Set.of("--quick");

    private static Set<String> optionsOfTheCli() {
        Set<String> names = new TreeSet<>();
        CommandLine perf = new CommandLine(new PerfCli());
        List<CommandSpec> specs = new ArrayList<>(List.of(perf.getCommandSpec()));
        perf.getSubcommands().values().forEach(c -> specs.add(c.getCommandSpec()));
        for (CommandSpec spec : specs) {
            for (OptionSpec option : spec.options()) {
                for (String name : option.names()) {
                    if (name.startsWith("--")) {
                        names.add(name);
                    }
                }
            }
        }
        return names;
    }

    private static Set<String> optionsShown(Path page, boolean onlyPerfLines) throws IOException {
        Set<String> shown = new TreeSet<>();
        for (String line : Files.readAllLines(page)) {
            if (onlyPerfLines && !(line.contains("run-perf.sh") || line.contains("perf run") || line.contains("perf watch"))) {
                continue;
            }
            Matcher m = OPTION.matcher(line);
            while (m.find()) {
                shown.add(m.group());
            }
        }
        shown.removeAll(NOT_PERFS);
        return shown;
    }

    @Test
    void everyOptionShownExists() throws IOException {
        Set<String> known = optionsOfTheCli();
        Set<String> unknown = new TreeSet<>(optionsShown(PERF_README, false));
        unknown.addAll(optionsShown(FRONT_DOOR, true));
        unknown.removeAll(known);
        assertEquals(Set.of(), unknown, "options the docs show but perf does not have");
    }

    @Test
    void everyOptionIsDocumented() throws IOException {
        Set<String> undocumented = optionsOfTheCli();
        undocumented.removeAll(optionsShown(PERF_README, false));
        undocumented.removeAll(Set.of("--help", "--version"));
        assertEquals(Set.of(), undocumented, "options of perf that perf/README.md does not mention");
    }

    @Test
    void everyCommandAnswersVersion() {
        for (String command : List.of("run", "watch")) {
            PerfCliTest.Outcome o = PerfCliTest.perf(command, "--version");
            assertEquals(0, o.code(), command + ": " + o.err());
            assertEquals(PerfCliTest.perf("--version").out(), o.out(), command);
        }
    }
}
