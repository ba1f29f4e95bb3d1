package io.svdwb.app.soco;

import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.progress.TrainingStep;
import java.util.function.Consumer;

/** Passes everything on to {@code delegate} and also hands each training step to {@code steps} (on the worker thread). */
final class TrainingStepTap implements ProgressListener {

    private final ProgressListener delegate;
    private final Consumer<TrainingStep> steps;

    TrainingStepTap(ProgressListener delegate, Consumer<TrainingStep> steps) {
        this.delegate = delegate;
        this.steps = steps;
    }

    @Override
    public void begin(String phase, long totalUnits) {
        delegate.begin(phase, totalUnits);
    }

    @Override
    public void advanceTo(long unitsDone) {
        delegate.advanceTo(unitsDone);
    }

    @Override
    public void end() {
        delegate.end();
    }

    @Override
    public void trainingStep(TrainingStep step) {
        delegate.trainingStep(step);
        steps.accept(step);
    }

    @Override
    public boolean isCancelled() {
        return delegate.isCancelled();
    }
}
