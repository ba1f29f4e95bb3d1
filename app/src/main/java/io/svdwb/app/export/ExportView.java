package io.svdwb.app.export;

import io.svdwb.app.FileDialogs;
import io.svdwb.app.CompressionSetting;
import io.svdwb.app.setup.EngineContexts;
import io.svdwb.app.setup.EngineSetup;
import io.svdwb.app.tasks.BackgroundTasks;
import io.svdwb.app.tasks.EngineTask;
import io.svdwb.app.view.Formats;
import io.svdwb.engine.export.CheckpointExporter;
import io.svdwb.engine.progress.CancelledException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The export dialog's content for one compression: format, target folder, overwrite; it runs the export in the
 * background (progress, cancel) and reports the perplexity of the export read back from disk next to the
 * in-memory one.
 */
public final class ExportView {

    private final VBox root = new VBox(10);
    private final EngineSetup setup;
    private final CompressionSetting choice;
    private final BackgroundTasks tasks;
    private final ExportJob job;
    private final ToggleGroup kinds = new ToggleGroup();
    private final TextField folder = new TextField();
    private final CheckBox overwrite = new CheckBox("Replace an existing export in that folder");
    private final Label error = new Label();
    private final Label result = new Label();
    private final ProgressBar progress = new ProgressBar(0);
    private final Label phase = new Label();
    private final ObjectProperty<EngineTask<ExportOutcome>> running = new SimpleObjectProperty<>(this, "running");
    private final ReadOnlyObjectWrapper<ExportOutcome> outcome = new ReadOnlyObjectWrapper<>(this, "outcome");
    private Runnable closer = () -> { };

    public ExportView(EngineSetup setup, CompressionSetting choice, BackgroundTasks tasks, EngineContexts contexts, FileDialogs dialogs) {
        this.setup = setup;
        this.choice = choice;
        this.tasks = tasks;
        this.job = new ExportJob(contexts, setup, choice);
        root.setId("exportView");
        root.setPadding(new Insets(12));
        root.setPrefWidth(620);

        Label what = new Label(String.format(Locale.ROOT, "%s at ratio %.2f; %s", choice.method().cliName(), choice.ratio(),
                choice.selection().describe()));
        what.setId("exportWhat");
        what.setStyle("-fx-font-weight: bold;");

        VBox formats = new VBox(4);
        for (ExportKind kind : ExportKind.values()) {
            RadioButton button = new RadioButton(kind.description());
            button.setId("kind-" + kind.id());
            button.setUserData(kind);
            button.setToggleGroup(kinds);
            formats.getChildren().add(button);
        }
        kinds.selectToggle(kinds.getToggles().get(0));

        folder.setId("exportFolder");
        folder.setPromptText("the folder to create, e.g. /tmp/" + suggestedName(ExportKind.DENSE));
        HBox.setHgrow(folder, Priority.ALWAYS);
        Button choose = new Button("Choose…");
        choose.setId("chooseExportFolder");
        choose.setOnAction(event -> dialogs.folder(root.getScene().getWindow(), "Folder to export into")
                .ifPresent(parent -> folder.setText(parent.resolve(suggestedName(selectedKind())).toString())));
        overwrite.setId("exportOverwrite");

        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(8);
        form.addRow(0, new Label("Format"), formats);
        HBox target = new HBox(6, folder, choose);
        GridPane.setHgrow(target, Priority.ALWAYS);
        form.addRow(1, new Label("Folder"), target);
        form.add(overwrite, 1, 2);

        error.setId("exportError");
        error.setWrapText(true);
        error.setStyle("-fx-text-fill: #b00020;");
        error.managedProperty().bind(error.textProperty().isNotEmpty());
        result.setId("exportResult");
        result.setWrapText(true);

        Button export = new Button("Export");
        export.setId("startExport");
        export.setDefaultButton(true);
        export.disableProperty().bind(running.isNotNull().or(folder.textProperty().isEmpty()));
        export.setOnAction(event -> start());
        Button cancel = new Button("Cancel export");
        cancel.setId("cancelExport");
        cancel.disableProperty().bind(running.isNull());
        cancel.setOnAction(event -> cancelRunning());
        progress.setId("exportProgress");
        progress.setPrefWidth(160);
        progress.visibleProperty().bind(running.isNotNull());
        phase.setId("exportPhase");
        phase.setMinWidth(0);
        Button close = new Button("Close");
        close.setId("closeExport");
        close.setOnAction(event -> close());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox actions = new HBox(8, export, cancel, progress, phase, spacer, close);
        actions.setAlignment(Pos.CENTER_LEFT);

        Label protocol = new Label("Perplexity is measured on " + setup.evaluation().describe());
        protocol.setWrapText(true);
        protocol.setStyle("-fx-text-fill: -fx-mid-text-color;");
        root.getChildren().addAll(what, form, actions, error, result, protocol);
    }

    private ExportKind selectedKind() {
        return (ExportKind) kinds.getSelectedToggle().getUserData();
    }

    /** "stories260K-svd-llm-0.40-dense". */
    private String suggestedName(ExportKind kind) {
        Path name = setup.modelDir().toAbsolutePath().normalize().getFileName();
        return String.format(Locale.ROOT, "%s-%s-%.2f-%s", name, choice.method().cliName(), choice.ratio(), kind.id());
    }

    /** Checks the target at once (an existing folder is reported before any work) and starts the export. */
    private void start() {
        error.setText("");
        result.setText("");
        ExportKind kind = selectedKind();
        Path target;
        try {
            target = Path.of(folder.getText().trim()).toAbsolutePath().normalize();
            if (kind == ExportKind.RANK_MAP_ONLY) {
                RankMapWriter.checkTarget(target, setup.modelDir(), overwrite.isSelected());
            } else {
                CheckpointExporter.checkTarget(target, setup.modelDir(), overwrite.isSelected());
            }
        } catch (FileAlreadyExistsException e) {
            error.setText(e.getFile() + ": " + e.getReason() + ". Tick \"" + overwrite.getText() + "\" to replace it.");
            return;
        } catch (IOException | RuntimeException e) {
            error.setText(describe(e));
            return;
        }
        boolean replace = overwrite.isSelected();
        EngineTask<ExportOutcome> task = tasks.submit("Export " + suggestedName(kind), p -> job.run(kind, target, replace, p));
        running.set(task);
        progress.progressProperty().bind(task.progressProperty());
        phase.textProperty().bind(task.messageProperty());
        task.setOnSucceeded(event -> finish(() -> show(task.getValue())));
        task.setOnCancelled(event -> finish(() -> error.setText("Export cancelled; " + target + " was left as it was")));
        task.setOnFailed(event -> finish(() -> error.setText(task.getException() instanceof CancelledException
                ? "Export cancelled; " + target + " was left as it was" : "Export failed: " + describe(task.getException()))));
    }

    private void finish(Runnable report) {
        progress.progressProperty().unbind();
        phase.textProperty().unbind();
        phase.setText("");
        running.set(null);
        report.run();
    }

    private void show(ExportOutcome done) {
        outcome.set(done);
        if (done.kind() == ExportKind.RANK_MAP_ONLY) {
            result.setText("Wrote " + CheckpointExporter.RANK_MAP + " and " + CheckpointExporter.MANIFEST + " to " + done.folder());
            return;
        }
        result.setText(String.format(Locale.ROOT, "Wrote %s (%s, %s parameters, %s of weights).%n"
                        + "Perplexity in memory: %.6f; reloaded from the export: %.6f; relative difference %.1e.",
                done.folder(), done.kind().id(), Formats.count(done.parameters()), Formats.megabytesExact(done.weightBytes()),
                done.inMemoryPerplexity(), done.reloadedPerplexity(), done.relativeDifference()));
    }

    private static String describe(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** What the Close button (and Esc in {@link ExportDialog}) does after cancelling a running export: hide the window. */
    public void setCloser(Runnable closer) {
        this.closer = closer;
    }

    /**
     * Cancels the running export, if any, and closes the view. The engine's export removes its temporary folder when
     * cancelled, so a closed dialog leaves nothing half-written behind.
     */
    public void close() {
        cancelRunning();
        closer.run();
    }

    /** Asks the running export, if any, to stop; its task reports the cancellation. */
    public void cancelRunning() {
        EngineTask<ExportOutcome> task = running.get();
        if (task != null) {
            task.cancel();
        }
    }

    /** The last finished export, or null. */
    public ReadOnlyObjectProperty<ExportOutcome> outcomeProperty() {
        return outcome.getReadOnlyProperty();
    }

    /** True while an export runs. */
    public javafx.beans.binding.BooleanBinding runningProperty() {
        return Bindings.isNotNull(running);
    }

    public Region node() {
        return root;
    }
}
