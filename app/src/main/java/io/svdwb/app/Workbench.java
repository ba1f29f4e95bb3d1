package io.svdwb.app;

import io.svdwb.app.soco.SocoScoresLoader;
import io.svdwb.app.soco.SocoTraining;
import io.svdwb.app.setup.SharedContexts;
import io.svdwb.app.view.ErrorDialog;
import io.svdwb.app.view.MainWindow;
import java.nio.file.Path;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.stage.Screen;
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
    /** The engine contexts of the main view's session and of the tools' jobs: one per model and calibration. */
    private final SharedContexts contexts = new SharedContexts();
    private final ModelLoader loader;
    private final BackgroundWork background;
    private final WorkbenchTools tools;
    private final Timeline memoryPoll;
    private final SocoTraining socoTraining;
    private final SocoScoresLoader socoScores;

    private Workbench(Stage stage, FolderChooser folderChooser, EngineSettings engine, FileDialogs fileDialogs) {
        this.stage = stage;
        this.loader = new ModelLoader(model, message -> ErrorDialog.show(stage, "Could not open the model folder", message));
        model.runSettings().evaluationTextProperty().set(engine.evaluationText());
        this.background = new BackgroundWork(model, engine, contexts, Platform::runLater);
        BatchRunner batch = background.batch();
        MainWindow window = new MainWindow(model, engine, new MainWindow.Actions(() -> folderChooser.choose(stage).ifPresent(this::open),
                Platform::exit, batch::startFullEvaluation, batch::calibrate, batch::cancel), fileDialogs);
        tools = new WorkbenchTools(stage, model, fileDialogs, this::open, engine, contexts);
        window.addMenus(tools.fileMenuItems(), tools.toolsMenu());
        window.addStatusItem(tools.tasksIndicator());
        followInTheTaskList(batch);
        socoTraining = new SocoTraining(model, tools.tasks(), background.sessions(), Platform::runLater);
        socoScores = new SocoScoresLoader(model);
        // 1280 x 840 where it fits; a smaller screen (or Monocle's 1280 x 800 headless one) gets its visible area.
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        stage.setScene(new Scene(window.root(), Math.min(1280, screen.getWidth()), Math.min(840, screen.getHeight() - 40)));
        // A stage shown before (the tests' one stage, resized by an earlier test) takes the scene's size again.
        stage.sizeToScene();
        stage.titleProperty().bind(Bindings.createStringBinding(() -> {
            OpenedModel opened = model.getOpenedModel();
            return opened == null ? TITLE : TITLE + " — " + opened.name();
        }, model.openedModelProperty()));
        memoryPoll = new Timeline(new KeyFrame(Duration.seconds(2), event -> sampleMemory()));
        memoryPoll.setCycleCount(Animation.INDEFINITE);
    }

    /** The main view's own jobs, which run on its engine thread, appear in the task list beside the tools' jobs. */
    private void followInTheTaskList(BatchRunner batch) {
        ResultsModel results = model.results();
        JobState estimate = results.estimateJob();
        tools.tasks().follow(() -> "Perplexity estimate: " + describeSetting(), estimate.runningProperty(), estimate.progressProperty(),
                estimate.phaseProperty(), background::cancelEstimate);
        JobState full = results.batchJob();
        // The batch job is the full evaluation or the calibration; the note it sets on starting says which.
        tools.tasks().follow(() -> results.fullEvaluationNoteProperty().get(), full.runningProperty(), full.progressProperty(),
                full.phaseProperty(), batch::cancel);
    }

    private String describeSetting() {
        CompressionSetting setting = model.compression().getSetting();
        return setting == null ? "" : model.describe(setting);
    }

    /** Builds the window on {@code stage} with the default texts, calibration cache and file dialogs and shows it; call on the FX thread. */
    public static Workbench show(Stage stage, FolderChooser folderChooser) {
        return show(stage, folderChooser, EngineSettings.defaults(), FileDialogs.platform());
    }

    public static Workbench show(Stage stage, FolderChooser folderChooser, EngineSettings engine) {
        return show(stage, folderChooser, engine, FileDialogs.platform());
    }

    public static Workbench show(Stage stage, FolderChooser folderChooser, FileDialogs fileDialogs) {
        return show(stage, folderChooser, EngineSettings.defaults(), fileDialogs);
    }

    /** Builds the window on {@code stage} and shows it; call on the FX thread. */
    public static Workbench show(Stage stage, FolderChooser folderChooser, EngineSettings engine, FileDialogs fileDialogs) {
        Workbench workbench = new Workbench(stage, folderChooser, engine, fileDialogs);
        workbench.background.start();
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

    SocoTraining socoTraining() {
        return socoTraining;
    }

    /** The engine contexts the main view and the tools share. */
    SharedContexts contexts() {
        return contexts;
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
        socoScores.close();
        tools.close();
        background.close();
        loader.close();
    }
}
