package io.svdwb.engine.export;

import java.io.IOException;

/** The export was written but reading it back did not give what was meant to be written; nothing was published. */
public final class ExportVerificationException extends IOException {
    public ExportVerificationException(String message) {
        super(message);
    }
}
