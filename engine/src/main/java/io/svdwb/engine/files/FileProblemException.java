package io.svdwb.engine.files;

import java.io.IOException;

/** A file that cannot be used, with a message that names it and says why, fit to be shown as it is. */
public final class FileProblemException extends IOException {

    public FileProblemException(String message) {
        super(message);
    }

    public FileProblemException(String message, Throwable cause) {
        super(message, cause);
    }
}
