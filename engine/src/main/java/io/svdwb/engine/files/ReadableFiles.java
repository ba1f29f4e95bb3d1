package io.svdwb.engine.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a whole file, turning the JDK's terse exceptions into one line that names the file and the problem. */
public final class ReadableFiles {

    private ReadableFiles() {
    }

    /**
     * Returns {@code file} if it is a regular file this process may read; otherwise fails with
     * "FILE: no such file", "FILE: is a folder, not KIND" or "FILE: not readable (permission denied)".
     */
    public static Path requireReadable(Path file, String kind) throws FileProblemException {
        if (Files.isDirectory(file)) {
            throw new FileProblemException(file + ": is a folder, not " + kind);
        }
        if (!Files.exists(file)) {
            throw new FileProblemException(file + ": no such file");
        }
        if (!Files.isReadable(file)) {
            throw new FileProblemException(file + ": not readable (permission denied)");
        }
        return file;
    }

    /** The bytes of {@code file}; a missing file, a folder or an unreadable file each end in their own message. */
    public static byte[] readAllBytes(Path file, String kind) throws IOException {
        if (Files.isDirectory(file)) {
            throw new FileProblemException(file + ": is a folder, not " + kind);
        }
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new FileProblemException(file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new FileProblemException(file + ": not readable (permission denied)", e);
        } catch (IOException e) {
            throw new FileProblemException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }
}
