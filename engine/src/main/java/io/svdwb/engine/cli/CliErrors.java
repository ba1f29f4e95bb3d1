package io.svdwb.engine.cli;

import io.svdwb.engine.progress.NotEnoughMemoryError;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * The one line and the exit code that end a failed run. Exit codes: 1 an error (its line names the file or value
 * and the problem), 2 a usage error (picocli), 3 non-finite predictions in a perplexity (eval, compress --eval,
 * sweep), 4 out of memory.
 */
final class CliErrors {

    static final int ERROR = 1;
    static final int OUT_OF_MEMORY = 4;

    private CliErrors() {
    }

    static int exitCode(Throwable ex) {
        return outOfMemory(ex) != null ? OUT_OF_MEMORY : ERROR;
    }

    /** The line after "error: ". */
    static String describe(Throwable ex) {
        OutOfMemoryError oom = outOfMemory(ex);
        if (oom != null) {
            return describeOutOfMemory(oom, ConsoleProgress.lastActivity());
        }
        Throwable t = ex;
        while ((t.getMessage() == null || t instanceof java.io.UncheckedIOException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof FileSystemException fs && fs.getReason() == null && fs.getFile() != null) {
            // the JDK leaves the reason out for these and prints only the path
            return fs.getFile() + (fs.getOtherFile() != null ? " -> " + fs.getOtherFile() : "") + ": " + reason(fs);
        }
        String message = t.getMessage();
        return message != null ? message : t.getClass().getSimpleName();
    }

    private static String reason(FileSystemException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists (or a file is where a folder is needed)";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "folder not empty";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getClass().getSimpleName();
    }

    private static OutOfMemoryError outOfMemory(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                return oom;
            }
        }
        return null;
    }

    /**
     * "out of memory while ACTIVITY (DETAIL); the Java heap is at most N MB: run with a larger one, e.g. ...". The
     * activity is the engine's own description when it checked before a step, else the last progress phase.
     */
    static String describeOutOfMemory(OutOfMemoryError oom, String lastActivity) {
        long maxHeap = Runtime.getRuntime().maxMemory();
        String what;
        long suggested;
        if (oom instanceof NotEnoughMemoryError known) {
            what = String.format(Locale.ROOT, "%s (needs about %d MB more, %d MB are free)", known.activity(),
                    NotEnoughMemoryError.megabytes(known.neededBytes()), NotEnoughMemoryError.megabytes(known.availableBytes()));
            suggested = maxHeap + known.neededBytes();
        } else {
            what = (lastActivity != null ? lastActivity : "preparing the run")
                    + (oom.getMessage() != null ? " (" + oom.getMessage().replaceAll("\\s*\\R\\s*", " ") + ")" : "");
            suggested = 2 * maxHeap;
        }
        long gigabytes = Math.max(2, (suggested + (1L << 30) - 1) >> 30);
        return String.format(Locale.ROOT, "out of memory while %s; the Java heap is at most %d MB: run with a larger one, "
                + "e.g. java -Xmx%dg -jar svdwb.jar ... (or SVDWB_JAVA_OPTS=-Xmx%dg with the launcher)", what,
                NotEnoughMemoryError.megabytes(maxHeap), gigabytes, gigabytes);
    }
}
