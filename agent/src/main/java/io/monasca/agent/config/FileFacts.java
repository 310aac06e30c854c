package io.monasca.agent.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/** What a file is to this process, in the words an operator fixes it with: owner, group, mode. */
public final class FileFacts {
    private FileFacts() {
    }

    /**
     * {@code owner root, group root, mode rw-------}; {@code no such file}; or, when its directory cannot be searched
     * by this process, says so (the owner and mode are then unknown here).
     */
    public static String describe(String file) {
        try {
            PosixFileAttributes a = Files.readAttributes(Paths.get(file), PosixFileAttributes.class);
            return "owner " + a.owner().getName() + ", group " + a.group().getName() + ", mode "
                    + PosixFilePermissions.toString(a.permissions());
        } catch (NoSuchFileException e) {
            return "no such file";
        } catch (AccessDeniedException e) {
            return "a directory on its path is not searchable, so its owner and mode are unknown here";
        } catch (IOException | RuntimeException e) { // also no POSIX attributes here, or not a path
            return "owner and mode unknown: " + e;
        }
    }
}
