package io.svdwb.engine.progress;

/**
 * A listener that shows one kind of phase under another name (a sweep's "perplexity" as "[2/6] Evaluating svd at
 * 0.40") and passes everything else through unchanged.
 */
public final class RenamedPhase implements ProgressListener {

    private final ProgressListener target;
    private final String phase;
    private final String shownAs;

    private RenamedPhase(ProgressListener target, String phase, String shownAs) {
        this.target = target;
        this.phase = phase;
        this.shownAs = shownAs;
    }

    /** {@code target}, with phases named {@code phase} shown as {@code shownAs}. */
    public static ProgressListener of(ProgressListener target, String phase, String shownAs) {
        return new RenamedPhase(target, phase, shownAs);
    }

    @Override
    public void begin(String name, long totalUnits) {
        target.begin(phase.equals(name) ? shownAs : name, totalUnits);
    }

    @Override
    public void advanceTo(long unitsDone) {
        target.advanceTo(unitsDone);
    }

    @Override
    public void end() {
        target.end();
    }

    @Override
    public void trainingStep(TrainingStep step) {
        target.trainingStep(step);
    }

    @Override
    public boolean isCancelled() {
        return target.isCancelled();
    }
}
