package io.svdwb.app.tasks;

import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import org.controlsfx.control.PopOver;

/**
 * The status bar's view of the background jobs: the oldest job's progress and a button naming how many
 * jobs there are, which opens the task list (with a cancel button per job).
 */
public final class TasksIndicator {

    private final HBox box = new HBox(6);
    private final Button button = new Button();
    private final TaskListView list;
    private PopOver popOver;

    public TasksIndicator(BackgroundTasks tasks) {
        list = new TaskListView(tasks);
        box.setId("tasksIndicator");
        box.setAlignment(Pos.CENTER_LEFT);

        ProgressBar current = new ProgressBar();
        current.setId("tasksProgress");
        current.setPrefWidth(100);
        current.visibleProperty().bind(Bindings.isNotEmpty(tasks.shownTasks()));
        current.managedProperty().bind(current.visibleProperty());
        tasks.shownTasks().addListener((javafx.collections.ListChangeListener<javafx.concurrent.Task<?>>) change -> {
            current.progressProperty().unbind();
            if (!tasks.shownTasks().isEmpty()) {
                current.progressProperty().bind(tasks.shownTasks().get(0).progressProperty());
            }
        });

        button.setId("tasksButton");
        button.textProperty().bind(Bindings.createStringBinding(() -> switch (tasks.shownTasks().size()) {
            case 0 -> "No tasks";
            case 1 -> "1 task";
            default -> tasks.shownTasks().size() + " tasks";
        }, tasks.shownTasks()));
        button.setOnAction(event -> toggle());
        button.setMinWidth(Region.USE_PREF_SIZE);
        box.getChildren().addAll(current, button);
    }

    private void toggle() {
        if (popOver != null && popOver.isShowing()) {
            popOver.hide();
            return;
        }
        if (popOver == null) {
            popOver = new PopOver(list.node());
            popOver.setTitle("Background tasks");
            popOver.setHeaderAlwaysVisible(true);
            popOver.setDetachable(false);
            popOver.setArrowLocation(PopOver.ArrowLocation.BOTTOM_RIGHT);
        }
        popOver.show(button);
    }

    public Region node() {
        return box;
    }

    /** The list the button opens. */
    public TaskListView taskList() {
        return list;
    }
}
