package io.svdwb.engine.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporary files and folders that work in progress writes beside its target (an export's hidden folder, a
 * sweep's JSON before its rename). The writer's own error handling deletes them on failure; a JVM stopped by
 * Ctrl-C or SIGTERM runs no such code, so one shutdown hook deletes whatever is still registered. A SIGKILL
 * runs no hook either: the hidden names are what keep such leftovers from passing for results.
 *
 * <p>Deleting and publishing take the same lock, so the hook never deletes a folder halfway through its rename
 * into place, and a rename that comes after the hook finds its source gone and fails.
 */
public final class TemporaryPaths {

    private static final Logger LOG = LoggerFactory.getLogger(TemporaryPaths.class);
    private static final Set<Path> IN_PROGRESS = new LinkedHashSet<>();
    private static boolean hookInstalled;

    private TemporaryPaths() {
    }

    /** A registered temporary path; closing it unregisters the path without deleting it. */
    public static final class Registration implements AutoCloseable {
        private final Path path;

        private Registration(Path path) {
            this.path = path;
        }

        public Path path() {
            return path;
        }

        /**
         * Runs {@code publish} (typically the rename that turns the temporary path into the result) with the
         * shutdown hook held off, then unregisters the path: a stop can come before or after, never during it.
         */
        public void publish(IoAction publish) throws IOException {
            synchronized (IN_PROGRESS) {
                if (!IN_PROGRESS.contains(path)) {
                    throw new IOException(path + ": removed by the shutdown of the program before it was finished");
                }
                publish.run();
                IN_PROGRESS.remove(path);
            }
        }

        @Override
        public void close() {
            synchronized (IN_PROGRESS) {
                IN_PROGRESS.remove(path);
            }
        }
    }

    /** An action on files that may fail with an {@link IOException}. */
    @FunctionalInterface
    public interface IoAction {
        void run() throws IOException;
    }

    /**
     * Registers {@code path} for deletion should the JVM shut down before the registration is closed or
     * published. Register before creating the path, so no moment exists in which it is on disk but unknown here.
     */
    public static Registration register(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        synchronized (IN_PROGRESS) {
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(TemporaryPaths::deleteAll, "svdwb-temporary-file-cleanup"));
                hookInstalled = true;
            }
            IN_PROGRESS.add(absolute);
        }
        return new Registration(absolute);
    }

    /** The paths registered now (for tests and diagnostics). */
    public static Set<Path> inProgress() {
        synchronized (IN_PROGRESS) {
            return Set.copyOf(IN_PROGRESS);
        }
    }

    private static void deleteAll() {
        synchronized (IN_PROGRESS) {
            for (Path path : IN_PROGRESS) {
                try {
                    deleteWhileWritten(path);
                } catch (IOException | UncheckedIOException e) {
                    LOG.warn("could not remove the temporary {}: {}", path, e.getMessage());
                }
            }
            IN_PROGRESS.clear();
        }
    }

    /**
     * The worker thread keeps running while shutdown hooks do, so it may add a file after the walk has listed
     * the folder; the folder's own deletion then fails as not empty and the walk is repeated.
     */
    private static void deleteWhileWritten(Path path) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                deleteRecursively(path);
                return;
            } catch (DirectoryNotEmptyException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** Deletes a file, or a folder with everything in it; nothing if it does not exist. */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
