package io.svdwb.app.tasks;

import io.svdwb.engine.progress.ProgressListener;
import javafx.concurrent.Task;

/**
 * A JavaFX task running an {@link EngineJob}: the engine's phases become the task's message, its units the
 * task's progress, and the task's cancellation is what the engine's {@link ProgressListener#isCancelled()} reads.
 */
public final class EngineTask<T> extends Task<T> {

    private final EngineJob<T> job;

    EngineTask(String title, EngineJob<T> job) {
        this.job = job;
        updateTitle(title);
        updateMessage("Waiting…");
    }

    @Override
    protected T call() throws Exception {
        return job.run(new TaskProgress());
    }

    /**
     * Cancels without interrupting the worker: an interrupt closes any FileChannel the thread is reading
     * (ClosedByInterruptException), which would break the shared checkpoint for every later job. The engine
     * polls {@link ProgressListener#isCancelled()} instead and stops at its next check.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return super.cancel(false);
    }

    /** The engine's side of this task; called from the worker thread (Task's update methods are thread-safe). */
    private final class TaskProgress implements ProgressListener {

        private long total = -1;

        @Override
        public void begin(String phase, long totalUnits) {
            total = totalUnits;
            updateMessage(phase);
            updateProgress(0, Math.max(totalUnits, 1));
        }

        @Override
        public void advanceTo(long unitsDone) {
            if (total > 0) {
                updateProgress(Math.min(unitsDone, total), total);
            }
        }

        @Override
        public void end() {
            // Between phases the bar shows "busy" rather than a full bar that has not really finished anything.
            total = -1;
            updateProgress(-1, 1);
        }

        /** The task list shows which step training reached and its loss; the bar follows the steps. */
        @Override
        public void trainingStep(io.svdwb.engine.progress.TrainingStep step) {
            updateMessage(String.format(java.util.Locale.ROOT, "SoCo %s: step %d/%d, KL %.4g, kept %.3f", step.phase(), step.step(),
                    step.totalSteps(), step.distillation(), step.aliveKept()));
            updateProgress(step.step(), step.totalSteps());
        }

        @Override
        public boolean isCancelled() {
            return EngineTask.this.isCancelled();
        }
    }
}
