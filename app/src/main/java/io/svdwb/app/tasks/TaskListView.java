package io.svdwb.app.tasks;

import javafx.collections.ListChangeListener;
import javafx.concurrent.Task;
import javafx.scene.layout.Region;
import org.controlsfx.control.TaskProgressView;

/**
 * The running and queued jobs, each with its phase, a progress bar and a cancel button (ControlsFX
 * TaskProgressView, which drops a task from its list by itself once it has finished).
 */
public final class TaskListView {

    public static final String ID = "taskList";

    private final TaskProgressView<Task<?>> view = new TaskProgressView<>();

    public TaskListView(BackgroundTasks tasks) {
        view.setId(ID);
        view.setGraphicFactory(task -> null);
        for (Task<?> task : tasks.shownTasks()) {
            show(task);
        }
        tasks.shownTasks().addListener((ListChangeListener<Task<?>>) change -> {
            while (change.next()) {
                change.getAddedSubList().forEach(this::show);
                // A followed job leaves the list when its work ends, whether or not the view saw its state change.
                change.getRemoved().forEach(view.getTasks()::remove);
            }
        });
        view.setPrefSize(420, 240);
    }

    private void show(Task<?> task) {
        // A task that finished before it got here would never receive the event that removes it.
        if (!task.isDone() && !view.getTasks().contains(task)) {
            view.getTasks().add(task);
        }
    }

    public Region node() {
        return view;
    }

    /** The tasks shown, for tests. */
    public java.util.List<Task<?>> shown() {
        return java.util.List.copyOf(view.getTasks());
    }

}
