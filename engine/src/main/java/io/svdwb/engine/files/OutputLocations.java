package io.svdwb.engine.files;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before long work starts, that a folder or file could be created where the user asked for it, so the
 * problem is named with the path at once instead of surfacing hours later as a bare "Not a directory".
 */
public final class OutputLocations {

    private OutputLocations() {
    }

    /** {@code folder} is a folder, or could be created as one: it is not a file and no existing parent is a file. */
    public static void checkFolder(Path folder, String what) throws FileProblemException {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new FileProblemException(folder + ": is a file, not a folder (" + what + ")");
        }
        checkParents(folder);
    }

    /** {@code file} could be written (created or replaced): it is not a folder and no existing parent is a file. */
    public static void checkFile(Path file, String what) throws FileProblemException {
        if (Files.isDirectory(file)) {
            throw new FileProblemException(file + ": is a folder, not a file (" + what + ")");
        }
        checkParents(file);
    }

    /** The nearest existing ancestor must be a folder, or nothing can be created below it. */
    private static void checkParents(Path path) throws FileProblemException {
        for (Path p = path.toAbsolutePath().normalize().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new FileProblemException(path + ": " + p + " is a file, not a folder");
                }
                return;
            }
        }
    }
}
