package io.svdwb.app;

import java.io.UncheckedIOException;

/** How an engine failure is told to the user: the engine's own message, which names the problem. */
final class Failures {

    private Failures() {
    }

    static String describe(Throwable error) {
        Throwable shown = error instanceof UncheckedIOException && error.getCause() != null ? error.getCause() : error;
        String message = shown.getMessage();
        // Messages are written for users; an exception without one is unexpected, so keep its type.
        return message == null || message.isBlank() ? shown.toString() : message;
    }
}
