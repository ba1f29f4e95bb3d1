package io.svdwb.app.tasks;

import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import javafx.beans.InvalidationListener;
import javafx.beans.value.ObservableBooleanValue;
import javafx.beans.value.ObservableDoubleValue;
import javafx.beans.value.ObservableStringValue;
import javafx.concurrent.Task;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.WorkerStateEvent;

/**
 * Where the workbench's long jobs (sweeps, exports, evaluations) run: one worker thread, so jobs that share an
 * engine context (whose model is used by one task at a time) never overlap; later jobs wait in order. The
 * {@link #tasks()} list holds every job not yet finished, for the task list. Use on the FX thread.
 */
public final class BackgroundTasks implements AutoCloseable {

    private static final long CLOSE_WAIT_S = 10;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "svdwb-background-task");
        thread.setDaemon(true);
        return thread;
    });
    private final ObservableList<EngineTask<?>> tasks = FXCollections.observableArrayList();
    private final ObservableList<EngineTask<?>> readOnlyTasks = FXCollections.unmodifiableObservableList(tasks);
    /** What the task list shows: the queued and running jobs above and the work {@link #follow followed} while it runs. */
    private final ObservableList<Task<?>> shown = FXCollections.observableArrayList();
    private final ObservableList<Task<?>> readOnlyShown = FXCollections.unmodifiableObservableList(shown);

    /** Queues {@code job} under {@code title}; attach result handlers to the returned task before the FX thread yields. */
    public <T> EngineTask<T> submit(String title, EngineJob<T> job) {
        EngineTask<T> task = new EngineTask<>(title, job);
        tasks.add(task);
        shown.add(task);
        // addEventHandler, not setOnXxx: those belong to the caller.
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_SUCCEEDED, event -> forget(task));
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_FAILED, event -> forget(task));
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_CANCELLED, event -> forget(task));
        worker.execute(task);
        return task;
    }

    /** Jobs queued or running, oldest first. */
    public ObservableList<EngineTask<?>> tasks() {
        return readOnlyTasks;
    }

    /** Everything the task list shows and counts: {@link #tasks()} and the followed work that is running, oldest first. */
    public ObservableList<Task<?>> shownTasks() {
        return readOnlyShown;
    }

    /**
     * Shows work that runs elsewhere in the task list while {@code running} is true, titled by {@code title} when it starts,
     * with {@code progress} (a fraction, or -1) and {@code phase}; the list's cancel button runs {@code cancel}.
     */
    public void follow(Supplier<String> title, ObservableBooleanValue running, ObservableDoubleValue progress, ObservableStringValue phase,
            Runnable cancel) {
        FollowedJob[] current = new FollowedJob[1];
        InvalidationListener update = observable -> {
            if (current[0] != null) {
                current[0].show(progress.get(), phase.get());
            }
        };
        progress.addListener(update);
        phase.addListener(update);
        running.addListener((observable, was, now) -> {
            if (now && current[0] == null) {
                current[0] = new FollowedJob(title.get(), cancel);
                current[0].show(progress.get(), phase.get());
                shown.add(current[0]);
            } else if (!now && current[0] != null) {
                FollowedJob ended = current[0];
                current[0] = null;
                shown.remove(ended);
                ended.end();
            }
        });
    }

    private void forget(EngineTask<?> task) {
        tasks.remove(task);
        shown.remove(task);
    }

    /**
     * Asks every job to stop and waits (a few seconds at most) for the running one to reach the engine's next
     * cancellation check, so that whoever closes engine resources next does not pull them from under it.
     */
    @Override
    public void close() {
        for (EngineTask<?> task : java.util.List.copyOf(tasks)) {
            task.cancel();
        }
        worker.shutdown();
        try {
            worker.awaitTermination(CLOSE_WAIT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
