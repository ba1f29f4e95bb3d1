package io.svdwb.app;

import io.svdwb.app.soco.SocoModel;
import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.workbench.PerplexityEstimate;
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
    private final SocoModel soco = new SocoModel();
    private final ObjectBinding<RankPlan> plan;
    private final ObjectBinding<SessionKey> sessionKey;
    private final ObjectBinding<PerplexityEstimate> currentEstimate;
    private final ObjectBinding<ShownRanks> shownRanks;

    public WorkbenchModel() {
        // A new model starts with all its matrices selected. Registered before the bindings below, so that
        // nothing sees the new model with the old model's selection.
        openedModel.addListener((observable, before, now) -> compression.selectionProperty().set(now == null ? null : Selection.all(now.config())));
        // Pure arithmetic over the footprint (RankFromRatio per matrix), so it is recomputed on every slider move.
        plan = Bindings.createObjectBinding(() -> {
            OpenedModel opened = openedModel.get();
            Selection selection = compression.getSelection();
            if (opened == null || selection == null || selection.filter(opened.matrices()).isEmpty()) {
                return null;
            }
            return RankPlan.uniform(opened.footprint(), compression.getRatio(), selection);
        }, openedModel, compression.ratioProperty(), compression.selectionProperty());
        currentEstimate = Bindings.createObjectBinding(() -> {
            PerplexityEstimate estimate = results.getEstimate();
            CompressionSetting setting = compression.getSetting();
            return estimate != null && CompressionSetting.of(estimate.request()).equals(setting) ? estimate : null;
        }, results.estimateProperty(), compression.settingProperty());
        shownRanks = Bindings.createObjectBinding(() -> ShownRanks.of(compression.getSelection(), plan.get(), currentEstimate.get(),
                openedModel.get()), compression.selectionProperty(), plan, currentEstimate, openedModel);
        sessionKey = Bindings.createObjectBinding(() -> {
            OpenedModel opened = openedModel.get();
            return opened == null ? null : new SessionKey(opened.folder(), runSettings.getCalibrationSettings(), runSettings.getDevice());
        }, openedModel, runSettings.calibrationSettingsProperty(), runSettings.deviceProperty());
        // A new session has no calibration yet (another model, or other calibration settings).
        sessionKey.addListener((observable, before, now) -> results.calibratedProperty().set(false));
        // Trained scores live in the engine session's memo: another session has none of them.
        sessionKey.addListener((observable, before, now) -> soco.trained().clear());
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

    /** SoCo's learned scores, training curves and trained settings. */
    public SocoModel soco() {
        return soco;
    }

    /** The matrix whose spectrum is shown (its layer's matrices are the small multiples); the first one on opening. */
    public ObjectProperty<MatrixSpec> selectedMatrixProperty() {
        return selectedMatrix;
    }

    public MatrixSpec getSelectedMatrix() {
        return selectedMatrix.get();
    }

    /**
     * The uniform ranks k(c) of the selected matrices at the current ratio, and what they keep; null without a model
     * or when the selection holds no matrix.
     */
    public ObservableValue<RankPlan> planProperty() {
        return plan;
    }

    public RankPlan getPlan() {
        return plan.get();
    }

    /** The newest estimate if it belongs to exactly the current setting; null while that one is pending. */
    public ObservableValue<PerplexityEstimate> currentEstimateProperty() {
        return currentEstimate;
    }

    /** What the layer tree shows as each matrix's rank: the method's choice once its estimate is in, else k(c). */
    public ObservableValue<ShownRanks> shownRanksProperty() {
        return shownRanks;
    }

    public ShownRanks getShownRanks() {
        return shownRanks.get();
    }

    /** A setting's label, naming its selection unless that is the whole of the open model. */
    public String describe(CompressionSetting setting) {
        OpenedModel opened = openedModel.get();
        return setting.describe(opened == null ? null : opened.config());
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
