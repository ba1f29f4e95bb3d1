package io.svdwb.app;

import io.svdwb.app.compare.CompareModel;
import io.svdwb.app.compare.CompareView;
import io.svdwb.app.compare.SweepRunner;
import io.svdwb.app.export.ExportDialog;
import io.svdwb.app.export.ExportView;
import io.svdwb.app.session.RecentModels;
import io.svdwb.app.session.RecentModelsMenu;
import io.svdwb.app.session.SessionActions;
import io.svdwb.app.setup.CompressionChoice;
import io.svdwb.app.setup.CurrentSetup;
import io.svdwb.app.setup.EngineContexts;
import io.svdwb.app.setup.SharedContexts;
import io.svdwb.app.tasks.BackgroundTasks;
import io.svdwb.app.tasks.TasksIndicator;
import io.svdwb.app.view.ErrorDialog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
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
 * {@link Workbench} so that the main view and these tools grow in separate files.
 */
final class WorkbenchTools implements AutoCloseable {

    private final Stage owner;
    private final WorkbenchModel model;
    private final FileDialogs dialogs;
    private final Consumer<Path> openModel;
    private final BackgroundTasks tasks = new BackgroundTasks();
    private final EngineContexts contexts;
    private final CurrentSetup current = new CurrentSetup();
    private final CompareModel compare = new CompareModel();
    private final RecentModels recent = RecentModels.atDefaultLocation();
    private final SessionActions sessions;
    private final SweepRunner sweeps;
    private final MainViewSetupLink link;
    private Stage compareWindow;

    /** {@code shared} gives the tools' jobs their engine contexts, the same ones the main view's session uses. */
    WorkbenchTools(Stage owner, WorkbenchModel model, FileDialogs dialogs, Consumer<Path> openModel, EngineSettings engine,
            SharedContexts shared) {
        this.owner = owner;
        this.contexts = new EngineContexts(shared);
        this.model = model;
        this.dialogs = dialogs;
        this.openModel = openModel;
        this.sessions = new SessionActions(current, compare, dialogs, openModel, model::setStatus);
        this.sweeps = new SweepRunner(compare, tasks, contexts, error -> ErrorDialog.show(owner, "The sweep failed",
                error.getMessage() != null ? error.getMessage() : error.toString()));
        compare.setupProperty().bind(current.engineSetupProperty());
        current.compressionProperty().addListener((observable, before, now) -> {
            if (now != null) {
                compare.selectionProperty().set(now.selection());
                compare.optionsProperty().set(withSoco(now.options()));
            }
        });
        // A SoCo row of a sweep trains with the main view's SoCo knobs, whichever method the main view shows.
        model.compression().socoSettingsProperty().addListener((observable, before, now) -> {
            if (compare.optionsProperty().get() != null) {
                compare.optionsProperty().set(withSoco(compare.optionsProperty().get()));
            }
        });
        model.openedModelProperty().addListener((observable, before, opened) -> modelOpened(opened));
        // registered after modelOpened: a plain open takes the main view's setting, a restored session wins
        this.link = MainViewSetupLink.link(model, current, engine);
    }

    private io.svdwb.engine.compress.method.MethodOptions withSoco(io.svdwb.engine.compress.method.MethodOptions options) {
        return options.withSoco(model.compression().socoSettingsProperty().get());
    }

    private void modelOpened(OpenedModel opened) {
        if (opened == null) {
            current.modelDirProperty().set(null);
            return;
        }
        CompressionChoice restored = sessions.takePendingCompression(opened.folder());
        current.modelDirProperty().set(opened.folder().toAbsolutePath().normalize());
        if (restored != null) {
            link.sessionRestoredOnOpen();
            current.compressionProperty().set(restored);
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
        saveSession.disableProperty().bind(current.modelDirProperty().isNull());
        saveSession.setOnAction(event -> sessions.save(owner));
        MenuItem export = new MenuItem("Export…");
        export.setId("exportModel");
        export.setAccelerator(KeyCombination.keyCombination("Shortcut+E"));
        export.disableProperty().bind(current.modelDirProperty().isNull());
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
        if (current.engineSetupProperty().get() == null) {
            return;
        }
        ExportDialog.show(owner, new ExportView(current.engineSetupProperty().get(), current.compressionProperty().get(), tasks, contexts,
                dialogs));
    }

    /** The task list's queue (SoCo training runs there, visible and cancellable). */
    BackgroundTasks tasks() {
        return tasks;
    }

    /** The engine contexts of the compare and export jobs. */
    EngineContexts contexts() {
        return contexts;
    }

    CurrentSetup current() {
        return current;
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
