package io.svdwb.app.tasks;

import java.util.concurrent.ExecutorService;
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

    /** Queues {@code job} under {@code title}; attach result handlers to the returned task before the FX thread yields. */
    public <T> EngineTask<T> submit(String title, EngineJob<T> job) {
        EngineTask<T> task = new EngineTask<>(title, job);
        tasks.add(task);
        // addEventHandler, not setOnXxx: those belong to the caller.
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_SUCCEEDED, event -> tasks.remove(task));
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_FAILED, event -> tasks.remove(task));
        task.addEventHandler(WorkerStateEvent.WORKER_STATE_CANCELLED, event -> tasks.remove(task));
        worker.execute(task);
        return task;
    }

    /** Jobs queued or running, oldest first. */
    public ObservableList<EngineTask<?>> tasks() {
        return readOnlyTasks;
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
