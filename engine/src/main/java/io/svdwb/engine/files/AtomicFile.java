package io.svdwb.engine.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * A result file that appears complete or not at all: written to a hidden sibling (same folder, so the rename is
 * atomic), renamed into place, and the sibling deleted on any failure, Ctrl-C and SIGTERM included
 * ({@link TemporaryPaths}). {@link #checkTarget} lets a long run refuse a bad target before it starts.
 */
public final class AtomicFile {

    private AtomicFile() {
    }

    /**
     * Fails, naming {@code target} and the problem, if a file could not be written there: its folder is missing,
     * not a folder or not writable, the target is a folder, or it exists and {@code overwrite} is false
     * ({@link FileAlreadyExistsException}).
     */
    public static void checkTarget(Path target, boolean overwrite) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        Path folder = absolute.getParent();
        if (!Files.exists(folder)) {
            throw new IOException(target + ": the folder " + folder + " does not exist");
        }
        if (!Files.isDirectory(folder)) {
            throw new IOException(target + ": " + folder + " is not a folder");
        }
        if (!Files.isWritable(folder)) {
            throw new IOException(target + ": the folder " + folder + " is not writable");
        }
        if (Files.isDirectory(absolute)) {
            throw new IOException(target + ": is a folder, not a file");
        }
        if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS) && !overwrite) {
            throw new FileAlreadyExistsException(target.toString(), null, "already exists");
        }
    }

    /**
     * A not yet existing hidden sibling of {@code target}: in the same folder, so that renaming it onto the target is
     * atomic, and named after it, so that a leftover says what it was.
     */
    public static Path temporarySibling(Path target) {
        Path absolute = target.toAbsolutePath();
        return absolute.resolveSibling("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
    }

    /** Writes the content of a file to the stream it is given. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Checks the target again, then writes {@code content} to it through a temporary sibling. */
    public static void write(Path target, boolean overwrite, byte[] content) throws IOException {
        write(target, overwrite, out -> out.write(content));
    }

    /** Checks the target again, then writes it through a temporary sibling that a failure of {@code content} removes. */
    public static void write(Path target, boolean overwrite, Content content) throws IOException {
        checkTarget(target, overwrite);
        Path absolute = target.toAbsolutePath().normalize();
        Path temp = temporarySibling(absolute);
        try (TemporaryPaths.Registration registration = TemporaryPaths.register(temp)) {
            try {
                try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    content.writeTo(out);
                }
                registration.publish(() -> Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE));
            } catch (IOException | RuntimeException | Error e) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
    }
}
