package io.svdwb.app;

import io.svdwb.app.view.ErrorDialog;
import io.svdwb.app.view.MainWindow;
import java.nio.file.Path;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.util.Duration;

/**
 * Wires the model, the loader and the main window onto a stage. Kept apart from {@link WorkbenchApp}
 * so that tests build exactly the same window on TestFX's stage.
 */
public final class Workbench implements AutoCloseable {

    public static final String TITLE = "SVD Workbench";

    private final Stage stage;
    private final WorkbenchModel model = new WorkbenchModel();
    private final ModelLoader loader;
    private final WorkbenchTools tools;
    private final Timeline memoryPoll;

    private Workbench(Stage stage, FolderChooser folderChooser, FileDialogs fileDialogs) {
        this.stage = stage;
        this.loader = new ModelLoader(model, message -> ErrorDialog.show(stage, "Could not open the model folder", message));
        MainWindow window = new MainWindow(model, () -> folderChooser.choose(stage).ifPresent(this::open), Platform::exit);
        tools = new WorkbenchTools(stage, model, fileDialogs, this::open);
        window.addMenus(tools.fileMenuItems(), tools.toolsMenu());
        window.addStatusItem(tools.tasksIndicator());
        stage.setScene(new Scene(window.root(), 1100, 700));
        stage.titleProperty().bind(Bindings.createStringBinding(() -> {
            OpenedModel opened = model.getOpenedModel();
            return opened == null ? TITLE : TITLE + " — " + opened.name();
        }, model.openedModelProperty()));
        memoryPoll = new Timeline(new KeyFrame(Duration.seconds(2), event -> sampleMemory()));
        memoryPoll.setCycleCount(Animation.INDEFINITE);
    }

    /** Builds the window on {@code stage} with the platform's file dialogs and shows it; call on the FX thread. */
    public static Workbench show(Stage stage, FolderChooser folderChooser) {
        return show(stage, folderChooser, FileDialogs.platform());
    }

    /** Builds the window on {@code stage} and shows it; call on the FX thread. */
    public static Workbench show(Stage stage, FolderChooser folderChooser, FileDialogs fileDialogs) {
        Workbench workbench = new Workbench(stage, folderChooser, fileDialogs);
        workbench.sampleMemory();
        workbench.memoryPoll.play();
        stage.show();
        return workbench;
    }

    public WorkbenchModel model() {
        return model;
    }

    public Stage stage() {
        return stage;
    }

    /** Tasks, compare, export, sessions and recent models. */
    WorkbenchTools tools() {
        return tools;
    }

    /** Opens a model folder in the background; call on the FX thread. */
    public void open(Path folder) {
        loader.open(folder);
    }

    private void sampleMemory() {
        Runtime runtime = Runtime.getRuntime();
        model.usedMemoryBytesProperty().set(runtime.totalMemory() - runtime.freeMemory());
        model.maxMemoryBytesProperty().set(runtime.maxMemory());
    }

    /** Stops background work and releases the open checkpoint; call on the FX thread. */
    @Override
    public void close() {
        memoryPoll.stop();
        tools.close();
        loader.close();
    }
}
