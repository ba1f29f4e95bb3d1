package io.svdwb.app.background;

import io.svdwb.engine.progress.ProgressListener;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Hands engine progress to another thread (the FX thread) without flooding it: an engine loop may report
 * thousands of steps a second, but at most one hand-over is queued at a time and it carries the newest state.
 * It never cancels; cancellation is the business of whoever runs the work.
 */
public final class CoalescingProgress implements ProgressListener {

    /** A phase and how far it got; {@link #fraction()} is -1 when the total is unknown. */
    public record Snapshot(String phase, long done, long total) {

        public double fraction() {
            return total <= 0 ? -1 : Math.min(1, (double) done / total);
        }
    }

    private final Executor publisher;
    private final Consumer<Snapshot> sink;
    private final AtomicReference<Snapshot> latest = new AtomicReference<>();
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile String phase = "";
    private volatile long total;

    public CoalescingProgress(Executor publisher, Consumer<Snapshot> sink) {
        this.publisher = publisher;
        this.sink = sink;
    }

    @Override
    public void begin(String newPhase, long totalUnits) {
        phase = newPhase;
        total = totalUnits;
        post(new Snapshot(newPhase, 0, totalUnits));
    }

    @Override
    public void advanceTo(long unitsDone) {
        post(new Snapshot(phase, unitsDone, total));
    }

    @Override
    public void end() {
        post(new Snapshot(phase, total, total));
    }

    /** A training step shows as the phase's text (step and loss); its units advance through {@link #advanceTo}. */
    @Override
    public void trainingStep(io.svdwb.engine.progress.TrainingStep step) {
        post(new Snapshot(String.format(java.util.Locale.ROOT, "%s step %d/%d, KL %.4g", step.phase(), step.step(), step.totalSteps(),
                step.distillation()), step.step(), step.totalSteps()));
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    private void post(Snapshot snapshot) {
        latest.set(snapshot);
        if (queued.compareAndSet(false, true)) {
            try {
                publisher.execute(() -> {
                    queued.set(false);
                    sink.accept(latest.get());
                });
            } catch (RejectedExecutionException closing) {
                queued.set(false);
            }
        }
    }
}
