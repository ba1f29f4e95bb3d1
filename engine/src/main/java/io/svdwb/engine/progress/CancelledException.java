package io.svdwb.engine.progress;

/** Thrown by engine work that stopped because its {@link ProgressListener} asked it to. */
public final class CancelledException extends RuntimeException {
    public CancelledException() {
        super("cancelled");
    }
}
