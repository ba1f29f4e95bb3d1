package io.svdwb.engine.export;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * The folder-level half of an atomic export: the checkpoint is assembled in a hidden sibling of the target
 * (same file system, so the final rename is atomic) and only a complete, verified folder is renamed into
 * place. An existing target is kept until the new folder is ready.
 */
final class ExportFolder {

    private ExportFolder() {
    }

    /** Refuses targets that must not be written: existing ones without overwrite, files, the source itself. */
    static void checkTarget(Path target, Path source, boolean overwrite) throws IOException {
        io.svdwb.engine.files.OutputLocations.checkFolder(target, "the export target");
        Path realSource = source.toRealPath();
        Path parent = target.getParent();
        if (parent != null && Files.isDirectory(parent)) {
            Path resolved = parent.toRealPath().resolve(target.getFileName());
            if (resolved.startsWith(realSource) || realSource.startsWith(resolved)) {
                throw new IllegalArgumentException("cannot export " + source + " into " + target
                        + ": the target is the source folder, inside it, or contains it");
            }
        }
        if (!Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!overwrite) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "the export target already exists; choose another folder or allow overwriting");
        }
        if (!Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null, "exists and is not a folder; refusing to replace it");
        }
        boolean empty;
        try (var entries = Files.list(target)) {
            empty = entries.findAny().isEmpty();
        }
        if (!empty && !Files.isRegularFile(target.resolve("config.json"))) {
            // overwriting deletes the old folder: only do that to something that looks like a model folder
            throw new DirectoryNotEmptyException(target + " (not a model folder: no config.json; refusing to replace it)");
        }
    }

    /** The hidden sibling the export is assembled in; not created here, so it can be registered for cleanup first. */
    static Path temporarySiblingName(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".export-" + UUID.randomUUID() + ".tmp");
    }

    /** Renames the finished {@code temp} to {@code target}, replacing an existing target only at this point. */
    static void moveIntoPlace(Path temp, Path target, boolean overwrite) throws IOException {
        if (!overwrite || !Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            // fails if another process created the target meanwhile, which is what we want
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        Path old = target.resolveSibling("." + target.getFileName() + ".replaced-" + UUID.randomUUID() + ".tmp");
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException restore) {
                e.addSuppressed(restore);
            }
            throw e;
        }
        deleteRecursively(old);
    }

    static void deleteRecursively(Path folder) throws IOException {
        io.svdwb.engine.files.TemporaryPaths.deleteRecursively(folder);
    }
}
