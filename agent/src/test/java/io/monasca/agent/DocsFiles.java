package io.monasca.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The project's documentation as the docs tests read it: the README and every page under docs/. */
public final class DocsFiles {
    private DocsFiles() {
    }

    public static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("docs")) ? here : here.getParent(); // the module or the repository root
    }

    /** Every line of the README and docs/*.md, prefixed with its file name for messages. */
    public static List<String> lines() {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> pages = Files.list(root().resolve("docs"))) {
            List<Path> files = new ArrayList<>(List.of(root().resolve("README.md")));
            pages.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
            for (Path file : files) {
                for (String line : Files.readAllLines(file)) {
                    lines.add(file.getFileName() + ": " + line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    public static String read(String relative) {
        try {
            return Files.readString(root().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
