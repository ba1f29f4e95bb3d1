package io.svdwb.app.session;

import io.svdwb.app.CompressionSetting;
import io.svdwb.app.EngineSettings;
import io.svdwb.app.FileDialogs;
import io.svdwb.app.OpenedModel;
import io.svdwb.app.RunSettingsModel;
import io.svdwb.app.SessionKey;
import io.svdwb.app.WorkbenchModel;
import io.svdwb.app.compare.CompareModel;
import io.svdwb.app.setup.CalibrationSetup;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.app.view.ErrorDialog;
import io.svdwb.engine.workbench.PerplexityEstimate;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import javafx.stage.Window;

/**
 * File > Save session… and Open session…: reads the {@link WorkbenchModel} (and the compare view's state) into a
 * {@link Session}, and writes a session back into the model. Opening a session whose model is not the open one opens
 * that model first and applies the rest once it has loaded (opening a model selects all of its matrices).
 */
public final class SessionActions {

    private final WorkbenchModel model;
    private final EngineSettings engine;
    private final CompareModel compare;
    private final FileDialogs dialogs;
    private final Consumer<Path> openModel;
    private final Consumer<String> status;
    private Session pending;

    public SessionActions(WorkbenchModel model, EngineSettings engine, CompareModel compare, FileDialogs dialogs, Consumer<Path> openModel,
            Consumer<String> status) {
        this.model = model;
        this.engine = engine;
        this.compare = compare;
        this.dialogs = dialogs;
        this.openModel = openModel;
        this.status = status;
        // Registered after the model's own listener, which selects every matrix of a new model: the session's setting wins.
        model.openedModelProperty().addListener((observable, before, opened) -> {
            if (opened != null) {
                applyPending(opened);
            }
        });
    }

    /** The session of what is shown now; null while no model is open. */
    public Session capture() {
        OpenedModel opened = model.getOpenedModel();
        CompressionSetting setting = model.compression().getSetting();
        if (opened == null || setting == null) {
            return null;
        }
        RunSettingsModel run = model.runSettings();
        CalibrationSetup calibration = new CalibrationSetup(engine.calibrationText(), run.getCalibrationSettings(),
                engine.calibrationCache().root());
        PerplexityEstimate shown = model.currentEstimateProperty().getValue();
        SessionKey shownKey = model.results().estimateSessionKeyProperty().get();
        SavedEstimate estimate = shown == null || shownKey == null ? null : new SavedEstimate(shown, shownKey.calibration());
        return new Session(opened.folder().toAbsolutePath().normalize(), setting, calibration, evaluation(run),
                List.copyOf(compare.methods()), compare.ratiosTextProperty().get(), compare.protocolProperty().get(),
                List.copyOf(compare.rows()), estimate);
    }

    /** The evaluation protocol of the tools (sweeps, exports): the estimate's text, window and token count. */
    public static EvaluationProtocol evaluation(RunSettingsModel run) {
        return new EvaluationProtocol(run.evaluationTextProperty().get(), run.evaluationContextProperty().get(),
                run.estimateTokensProperty().get(), EvaluationProtocol.MODEL_DEFAULT, null);
    }

    public void save(Window owner) {
        Session session = capture();
        if (session == null) {
            ErrorDialog.show(owner, "Nothing to save", "Open a model first; a session records a model and its settings.");
            return;
        }
        String suggested = session.modelDir().getFileName() + "." + SessionStore.EXTENSION;
        dialogs.save(owner, "Save session", "json", suggested).ifPresent(file -> {
            try {
                SessionStore.write(session, file);
                status.accept("Saved session " + file);
            } catch (IOException | RuntimeException e) {
                ErrorDialog.show(owner, "Could not save the session", file + ": " + e.getMessage());
            }
        });
    }

    public void open(Window owner) {
        dialogs.open(owner, "Open session", "json").ifPresent(file -> {
            try {
                apply(SessionStore.read(file));
                status.accept("Opened session " + file);
            } catch (IOException e) {
                ErrorDialog.show(owner, "Could not open the session", e.getMessage());
            }
        });
    }

    /**
     * Shows {@code session}: run settings and the compare view's results now, the compression and the estimate once its
     * model is the open one. The calibration text and cache are the workbench's own (its launch settings); the session's
     * are not applied.
     */
    public void apply(Session session) {
        RunSettingsModel run = model.runSettings();
        run.setCalibrationSettings(session.calibration().settings());
        EvaluationProtocol evaluation = session.evaluation();
        if (evaluation.text() != null) {
            run.evaluationTextProperty().set(evaluation.text());
        }
        run.evaluationContextProperty().set(evaluation.ctx());
        if (evaluation.maxTokens() > 0) {
            run.estimateTokensProperty().set((int) Math.min(Integer.MAX_VALUE, evaluation.maxTokens()));
        }
        compare.methods().setAll(session.compareMethods());
        compare.ratiosTextProperty().set(session.compareRatios());
        compare.showRows(session.sweepRows(), session.compareProtocol());
        pending = session;
        OpenedModel opened = model.getOpenedModel();
        if (opened != null && opened.folder().toAbsolutePath().normalize().equals(session.modelDir().toAbsolutePath().normalize())) {
            applyPending(opened);
        } else {
            openModel.accept(session.modelDir().toAbsolutePath().normalize());
        }
    }

    /** The waiting session's compression and estimate, if it was waiting for {@code opened}. */
    private void applyPending(OpenedModel opened) {
        Session waiting = pending;
        pending = null;
        if (waiting == null || !waiting.modelDir().toAbsolutePath().normalize().equals(opened.folder().toAbsolutePath().normalize())) {
            return;
        }
        if (waiting.estimate() != null) {
            // Shown first, so that the estimate runner finds the restored setting's estimate already there and computes nothing.
            SavedEstimate saved = waiting.estimate();
            model.results().showEstimate(saved.estimate(), new SessionKey(opened.folder(), saved.calibration(), model.runSettings().getDevice()));
        }
        model.compression().show(waiting.compression());
    }
}
