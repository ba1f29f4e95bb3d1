package io.svdwb.app;

import io.svdwb.engine.files.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Files the workbench writes (charts, sessions, rank maps, the recent list) are written under a hidden name beside
 * the target and renamed into place, so a failure never leaves half a file. The temporary name is made here rather
 * than by Files.createTempFile, whose owner-only permissions the renamed file would keep.
 */
public final class AtomicFiles {

    /** Writes the content of a file at the path it is given. */
    @FunctionalInterface
    public interface Writer {
        void write(Path file) throws IOException;
    }

    private AtomicFiles() {
    }

    /** A not yet existing sibling of {@code target}, hidden, in the same folder (so the rename is atomic). */
    public static Path temporarySibling(Path target) {
        return AtomicFile.temporarySibling(target);
    }

    /** Writes through {@code writer} to a sibling, then replaces {@code target} with it. */
    public static void write(Path target, Writer writer) throws IOException {
        Path temp = temporarySibling(target);
        try {
            writer.write(temp);
            moveIntoPlace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public static void writeString(Path target, String content) throws IOException {
        write(target, file -> Files.writeString(file, content, StandardCharsets.UTF_8));
    }

    public static void moveIntoPlace(Path temp, Path target) throws IOException {
        Files.move(temp, target.toAbsolutePath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
