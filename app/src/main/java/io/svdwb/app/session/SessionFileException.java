package io.svdwb.app.session;

import java.io.IOException;
import java.nio.file.Path;

/** A session file that cannot be read: malformed, not a session, from a newer version, or with impossible values. */
public final class SessionFileException extends IOException {

    public SessionFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
