package io.monasca.perf;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** {@code --version}: the tool's version, written in by the build. */
public final class PerfVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[]{"monasca-perf " + get()};
    }

    public static String get() {
        try (InputStream in = PerfVersion.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
