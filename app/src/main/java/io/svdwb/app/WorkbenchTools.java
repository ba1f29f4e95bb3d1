package io.svdwb.app;

import io.svdwb.app.compare.CompareModel;
import io.svdwb.app.compare.CompareView;
import io.svdwb.app.compare.SweepRunner;
import io.svdwb.app.export.ExportDialog;
import io.svdwb.app.export.ExportView;
import io.svdwb.app.session.RecentModels;
import io.svdwb.app.session.RecentModelsMenu;
import io.svdwb.app.session.SessionActions;
import io.svdwb.app.setup.CalibrationSetup;
import io.svdwb.app.setup.EngineContexts;
import io.svdwb.app.setup.EngineSetup;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.app.setup.SharedContexts;
import io.svdwb.app.tasks.BackgroundTasks;
import io.svdwb.app.tasks.TasksIndicator;
import io.svdwb.app.view.ErrorDialog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.scene.Scene;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.Region;
import javafx.stage.Stage;

/**
 * The workbench's tools around the main view: background tasks, the compare window, the export dialog, sessions
 * and recent models, with the menu items and the status-bar indicator that reach them. Kept out of
 * {@link Workbench} so that the main view and these tools grow in separate files. The tools work from the
 * {@link WorkbenchModel}, the one source of truth: its compression setting and run settings, never copies of them.
 */
final class WorkbenchTools implements AutoCloseable {

    private final Stage owner;
    private final WorkbenchModel model;
    private final FileDialogs dialogs;
    private final Consumer<Path> openModel;
    private final BackgroundTasks tasks = new BackgroundTasks();
    private final EngineContexts contexts;
    private final CompareModel compare = new CompareModel();
    private final RecentModels recent = RecentModels.atDefaultLocation();
    private final SessionActions sessions;
    private final SweepRunner sweeps;
    private final ObjectBinding<EngineSetup> engineSetup;
    private Stage compareWindow;

    /** {@code shared} gives the tools' jobs their engine contexts, the same ones the main view's session uses. */
    WorkbenchTools(Stage owner, WorkbenchModel model, FileDialogs dialogs, Consumer<Path> openModel, EngineSettings engine,
            SharedContexts shared) {
        this.owner = owner;
        this.contexts = new EngineContexts(shared);
        this.model = model;
        this.dialogs = dialogs;
        this.openModel = openModel;
        this.sessions = new SessionActions(model, engine, compare, dialogs, openModel, model::setStatus);
        this.sweeps = new SweepRunner(compare, tasks, contexts, error -> ErrorDialog.show(owner, "The sweep failed",
                error.getMessage() != null ? error.getMessage() : error.toString()));
        RunSettingsModel run = model.runSettings();
        // Derived from the model, never set: what the tools' engine jobs need besides the compression.
        engineSetup = Bindings.createObjectBinding(() -> {
            OpenedModel opened = model.getOpenedModel();
            return opened == null ? null : new EngineSetup(opened.folder().toAbsolutePath().normalize(),
                    new CalibrationSetup(engine.calibrationText(), run.getCalibrationSettings(), engine.calibrationCache().root()),
                    evaluationFor(opened, run), run.getDevice());
        }, model.openedModelProperty(), run.calibrationSettingsProperty(), run.evaluationTextProperty(), run.evaluationContextProperty(),
                run.estimateTokensProperty(), run.deviceProperty());
        compare.setupProperty().bind(engineSetup);
        model.compression().settingProperty().addListener((observable, before, now) -> followSetting(now));
        followSetting(model.compression().getSetting());
        // Each row of a sweep runs with that method's knobs as the main view holds them, whichever method it shows.
        model.compression().allSettingsProperty().addListener((observable, before, now) -> compare.settingsProperty().set(now));
        compare.settingsProperty().set(model.compression().allSettingsProperty().getValue());
        model.openedModelProperty().addListener((observable, before, opened) -> recordRecent(opened));
    }

    /**
     * The run settings' evaluation with the window resolved for the open model, so that sweeps and exports measure
     * and label their numbers exactly as the main view's estimate ("ctx 512", never "the model's default ctx").
     */
    private static EvaluationProtocol evaluationFor(OpenedModel opened, RunSettingsModel run) {
        EvaluationProtocol chosen = SessionActions.evaluation(run);
        return new EvaluationProtocol(chosen.text(), run.contextFor(opened.config()), chosen.maxTokens(), chosen.batch(),
                chosen.documentSeparator());
    }

    /** The compare view sweeps the main view's selection. */
    private void followSetting(CompressionSetting setting) {
        if (setting != null) {
            compare.selectionProperty().set(setting.selection());
        }
    }

    private void recordRecent(OpenedModel opened) {
        if (opened == null) {
            return;
        }
        try {
            recent.record(opened.folder());
        } catch (IOException e) {
            model.setStatus("Opened " + opened.folder() + " (could not update the recent models: " + e.getMessage() + ")");
        }
    }

    /** The File menu's items between "Open model folder…" and "Quit". */
    List<MenuItem> fileMenuItems() {
        MenuItem demo = new MenuItem("Open demo model");
        demo.setId("openDemoModel");
        demo.setOnAction(event -> DemoModelLocator.find().ifPresentOrElse(openModel,
                () -> ErrorDialog.show(owner, "No demo model", "The demo model " + DemoModelLocator.DEMO_MODEL
                        + " was not found; run the workbench from the repository, or set -D" + DemoModelLocator.PROPERTY + "=FOLDER.")));
        Menu recentMenu = new RecentModelsMenu(recent, openModel).menu();
        MenuItem openSession = new MenuItem("Open session…");
        openSession.setId("openSession");
        openSession.setOnAction(event -> sessions.open(owner));
        MenuItem saveSession = new MenuItem("Save session…");
        saveSession.setId("saveSession");
        saveSession.setAccelerator(KeyCombination.keyCombination("Shortcut+S"));
        saveSession.disableProperty().bind(engineSetup.isNull());
        saveSession.setOnAction(event -> sessions.save(owner));
        MenuItem export = new MenuItem("Export…");
        export.setId("exportModel");
        export.setAccelerator(KeyCombination.keyCombination("Shortcut+E"));
        export.disableProperty().bind(engineSetup.isNull());
        export.setOnAction(event -> openExport());
        return List.of(demo, recentMenu, new SeparatorMenuItem(), openSession, saveSession, new SeparatorMenuItem(), export,
                new SeparatorMenuItem());
    }

    /** The Tools menu: the compare window. */
    Menu toolsMenu() {
        MenuItem compareItem = new MenuItem("Compare methods…");
        compareItem.setId("openCompare");
        compareItem.setAccelerator(KeyCombination.keyCombination("Shortcut+M"));
        compareItem.setOnAction(event -> openCompare());
        Menu tools = new Menu("Tools", null, compareItem);
        tools.setId("toolsMenu");
        return tools;
    }

    Region tasksIndicator() {
        return new TasksIndicator(tasks).node();
    }

    void openCompare() {
        if (compareWindow == null) {
            compareWindow = new Stage();
            compareWindow.initOwner(owner);
            compareWindow.setTitle(Workbench.TITLE + " — Compare methods");
            compareWindow.setScene(new Scene(new CompareView(compare, sweeps, dialogs).node(), 1200, 800));
        }
        compareWindow.show();
        compareWindow.toFront();
    }

    void openExport() {
        EngineSetup setup = engineSetup.get();
        CompressionSetting setting = model.compression().getSetting();
        if (setup == null || setting == null) {
            return;
        }
        ExportDialog.show(owner, new ExportView(setup, setting, tasks, contexts, dialogs));
    }

    /** The task list's queue (SoCo training runs there, visible and cancellable). */
    BackgroundTasks tasks() {
        return tasks;
    }

    /** The engine contexts of the compare and export jobs. */
    EngineContexts contexts() {
        return contexts;
    }

    /** The model, calibration and evaluation the tools' jobs use; null while no model is open. */
    ObjectBinding<EngineSetup> engineSetup() {
        return engineSetup;
    }

    SessionActions sessions() {
        return sessions;
    }

    CompareModel compare() {
        return compare;
    }

    RecentModels recent() {
        return recent;
    }

    /** Stops the jobs first, then closes the engine context they used. */
    @Override
    public void close() {
        tasks.close();
        contexts.close();
        if (compareWindow != null) {
            compareWindow.close();
        }
    }
}
