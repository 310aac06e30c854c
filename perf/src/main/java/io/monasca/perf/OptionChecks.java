package io.monasca.perf;

import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Checks the commands share; each failure names the option and the value given (exit code 2). */
final class OptionChecks {
    private OptionChecks() {
    }

    static void positive(CommandLine cli, String option, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new CommandLine.ParameterException(cli, option + " must be positive, got " + value.toMillis() + " ms");
        }
    }

    /**
     * Creates the folder and writes a probe file into it before anything starts, so that a run or a watch does
     * not end by failing to write its result.
     */
    static void writableFolder(String option, Path folder) {
        try {
            Files.createDirectories(folder);
            Files.delete(Files.createTempFile(folder, ".perf-probe", ""));
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + folder + ": cannot write the results there (" + why(folder, e) + ")");
        }
    }

    private static String why(Path folder, IOException e) {
        for (Path p = folder.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p)) return p + " is a file, not a folder";
        }
        if (e instanceof AccessDeniedException f) return "permission denied on " + f.getFile();
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason() + ": " + f.getFile();
        return e.toString();
    }
}
