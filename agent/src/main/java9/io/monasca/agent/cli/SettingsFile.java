package io.monasca.agent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Settings too long for the attach protocol, handed over in a file: readable only by the target's user (the command
 * may run as root for another user's JVM), named in the agent argument as {@code @<file>}, deleted once the agent
 * has read it.
 */
final class SettingsFile {
    private SettingsFile() {
    }

    static Path write(long pid, String settings) throws CommandException {
        Path file = null;
        try {
            file = Files.createTempFile("monasca-agent-attach-" + pid + "-", ".settings",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(file, settings.getBytes(StandardCharsets.UTF_8));
            Integer uid = TargetProcess.uid(pid);
            if (uid != null && !uid.equals(Files.getAttribute(file, "unix:uid"))) {
                Files.setAttribute(file, "unix:uid", uid); // root attaching to another user's JVM
            }
            return file;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            delete(file);
            throw new CommandException(Commands.FAILED, "the settings are longer than the attach protocol carries ("
                    + Commands.ATTACH_ARGUMENT_BYTES + " bytes with the jar's path) and could not be put in a file"
                    + " for process " + pid + ": " + e + "; nothing was started (put them in a config= file instead)");
        }
    }

    static void delete(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // in the temp directory; the message above, if any, says what matters
        }
    }
}
