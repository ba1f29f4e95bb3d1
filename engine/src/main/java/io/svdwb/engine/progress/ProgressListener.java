package io.svdwb.engine.progress;

/**
 * The one channel through which long engine work reports progress and learns that it should stop.
 * The CLI draws a console bar from it; the workbench adapts it to JavaFX tasks.
 * Implementations must be safe to call from the worker thread that does the work.
 */
public interface ProgressListener {

    /** A listener that shows nothing and never cancels. */
    ProgressListener NONE = new ProgressListener() {
        @Override public void begin(String phase, long totalUnits) { }
        @Override public void advanceTo(long unitsDone) { }
        @Override public void end() { }
        @Override public boolean isCancelled() { return false; }
    };

    /** A new phase of work begins, measured in {@code totalUnits} (tokens, windows, matrices...). */
    void begin(String phase, long totalUnits);

    /** The phase has reached {@code unitsDone} of its total. */
    void advanceTo(long unitsDone);

    /** The current phase has finished. */
    void end();

    /**
     * A training run finished one step; the phase's units advance separately through {@link #advanceTo}. Ignored
     * unless the listener draws training curves.
     */
    default void trainingStep(TrainingStep step) {
    }

    /** True once the requester no longer wants the result. */
    boolean isCancelled();

    /** Stops the calling work with {@link CancelledException} if cancellation was requested. */
    default void throwIfCancelled() {
        if (isCancelled()) {
            throw new CancelledException();
        }
    }
}
