package io.svdwb.app;

import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.workbench.RankPlan;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;

/**
 * The state of the workbench window, as JavaFX properties: the single source of truth that the views
 * bind to. Touch it only on the FX thread. The compression controls, the run settings and the published
 * results are parts of it ({@link #compression()}, {@link #runSettings()}, {@link #results()}), kept in
 * their own files only to keep each small.
 */
public final class WorkbenchModel {

    private final ReadOnlyObjectWrapper<OpenedModel> openedModel = new ReadOnlyObjectWrapper<>(this, "openedModel");
    private final BooleanProperty loading = new SimpleBooleanProperty(this, "loading");
    private final StringProperty status = new SimpleStringProperty(this, "status", "Ready");
    private final LongProperty usedMemoryBytes = new SimpleLongProperty(this, "usedMemoryBytes");
    private final LongProperty maxMemoryBytes = new SimpleLongProperty(this, "maxMemoryBytes");
    private final ObjectProperty<String> lastError = new SimpleObjectProperty<>(this, "lastError");
    private final ObjectProperty<MatrixSpec> selectedMatrix = new SimpleObjectProperty<>(this, "selectedMatrix");
    private final CompressionSettingsModel compression = new CompressionSettingsModel();
    private final RunSettingsModel runSettings = new RunSettingsModel();
    private final ResultsModel results = new ResultsModel();
    private final ObjectBinding<RankPlan> plan;
    private final ObjectBinding<SessionKey> sessionKey;

    public WorkbenchModel() {
        // Pure arithmetic over the footprint (RankFromRatio per matrix), so it is recomputed on every slider move.
        plan = Bindings.createObjectBinding(() -> {
            OpenedModel opened = openedModel.get();
            return opened == null ? null : RankPlan.uniform(opened.footprint(), compression.getRatio());
        }, openedModel, compression.ratioProperty());
        sessionKey = Bindings.createObjectBinding(() -> {
            OpenedModel opened = openedModel.get();
            return opened == null ? null : new SessionKey(opened.folder(), runSettings.getCalibrationSettings());
        }, openedModel, runSettings.calibrationSettingsProperty());
        // A new session has no calibration yet (another model, or other calibration settings).
        sessionKey.addListener((observable, before, now) -> results.calibratedProperty().set(false));
        openedModel.addListener((observable, before, now) -> selectedMatrix.set(now == null ? null : now.matrices().get(0)));
    }

    /** The model shown, or null before the first successful load. */
    public ReadOnlyObjectProperty<OpenedModel> openedModelProperty() {
        return openedModel.getReadOnlyProperty();
    }

    public OpenedModel getOpenedModel() {
        return openedModel.get();
    }

    public CompressionSettingsModel compression() {
        return compression;
    }

    public RunSettingsModel runSettings() {
        return runSettings;
    }

    public ResultsModel results() {
        return results;
    }

    /** The matrix whose spectrum is shown (its layer's matrices are the small multiples); the first one on opening. */
    public ObjectProperty<MatrixSpec> selectedMatrixProperty() {
        return selectedMatrix;
    }

    public MatrixSpec getSelectedMatrix() {
        return selectedMatrix.get();
    }

    /** The uniform ranks k(c) of every matrix at the current ratio, and what they keep; null without a model. */
    public ObservableValue<RankPlan> planProperty() {
        return plan;
    }

    public RankPlan getPlan() {
        return plan.get();
    }

    /** The engine session the current model and calibration settings need; null without a model. */
    public ObservableValue<SessionKey> sessionKeyProperty() {
        return sessionKey;
    }

    public SessionKey getSessionKey() {
        return sessionKey.get();
    }

    /** Replaces the shown model and returns the previous one, which the caller closes. */
    OpenedModel replaceOpenedModel(OpenedModel model) {
        OpenedModel previous = openedModel.get();
        openedModel.set(model);
        return previous;
    }

    /** True while a model folder is being opened in the background. */
    public BooleanProperty loadingProperty() {
        return loading;
    }

    public boolean isLoading() {
        return loading.get();
    }

    public StringProperty statusProperty() {
        return status;
    }

    public void setStatus(String message) {
        status.set(message);
    }

    public LongProperty usedMemoryBytesProperty() {
        return usedMemoryBytes;
    }

    public LongProperty maxMemoryBytesProperty() {
        return maxMemoryBytes;
    }

    /** The message of the last failed load, or null; cleared by a successful one. */
    public ObjectProperty<String> lastErrorProperty() {
        return lastError;
    }
}
