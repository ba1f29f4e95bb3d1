package io.svdwb.app.tasks;

import javafx.concurrent.Task;

/**
 * The task list's entry for work that runs elsewhere (the estimate and the full evaluation run on the main view's engine
 * thread, not on {@link BackgroundTasks}' worker): a task that is never run, only shown. It mirrors the work's phase and
 * progress; its cancel button cancels the work; it leaves the list (as a cancelled task) when the work ends.
 */
final class FollowedJob extends Task<Void> {

    private final Runnable cancelWork;
    private boolean ended;

    FollowedJob(String title, Runnable cancelWork) {
        this.cancelWork = cancelWork;
        updateTitle(title);
        updateMessage("");
        updateProgress(-1, 1);
    }

    @Override
    protected Void call() {
        throw new IllegalStateException("a followed job is shown, never run");
    }

    /** The work's progress (a fraction, or -1 while unknown) and phase; call on the FX thread. */
    void show(double fraction, String phase) {
        updateProgress(fraction < 0 ? -1 : Math.min(fraction, 1), 1);
        updateMessage(phase == null ? "" : phase);
    }

    /** The work ended by itself: leave the list without cancelling it. */
    void end() {
        ended = true;
        super.cancel(false);
    }

    /** The task list's cancel button: cancels the work, which then ends this entry. */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (!ended) {
            ended = true;
            cancelWork.run();
        }
        return super.cancel(false);
    }
}
