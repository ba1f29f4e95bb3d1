package io.svdwb.app;

import io.svdwb.engine.workbench.PerplexityEstimate;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** What background work has published: spectra, estimates, full evaluations. Part of {@link WorkbenchModel}. */
public final class ResultsModel {

    private final ObjectProperty<LayerSpectra> layerSpectra = new SimpleObjectProperty<>(this, "layerSpectra");
    private final BooleanProperty calibrated = new SimpleBooleanProperty(this, "calibrated");
    private final ObjectProperty<PerplexityEstimate> estimate = new SimpleObjectProperty<>(this, "estimate");
    private final ObjectProperty<SessionKey> estimateSessionKey = new SimpleObjectProperty<>(this, "estimateSessionKey");
    private final ObjectProperty<PerplexityEstimate> fullEvaluation = new SimpleObjectProperty<>(this, "fullEvaluation");
    private final StringProperty fullEvaluationNote = new SimpleStringProperty(this, "fullEvaluationNote", "");
    private final JobState spectraJob = new JobState();
    private final JobState estimateJob = new JobState();
    private final JobState batchJob = new JobState();

    ResultsModel() {
    }

    /** The spectra of the selected layer (raw, and whitened once calibrated); null before the first load. */
    public ObjectProperty<LayerSpectra> layerSpectraProperty() {
        return layerSpectra;
    }

    public LayerSpectra getLayerSpectra() {
        return layerSpectra.get();
    }

    /** True once the current engine session has its calibration statistics. */
    public BooleanProperty calibratedProperty() {
        return calibrated;
    }

    public boolean isCalibrated() {
        return calibrated.get();
    }

    /** The newest quick estimate; it names the setting and protocol it was computed for. */
    public ObjectProperty<PerplexityEstimate> estimateProperty() {
        return estimate;
    }

    public PerplexityEstimate getEstimate() {
        return estimate.get();
    }

    /** The model and calibration {@link #estimateProperty()} was computed with (with its setting and protocol, its whole setup). */
    public ObjectProperty<SessionKey> estimateSessionKeyProperty() {
        return estimateSessionKey;
    }

    /** Shows {@code shown}, computed under {@code key} (by the estimate runner, or restored from a session file). */
    public void showEstimate(PerplexityEstimate shown, SessionKey key) {
        estimateSessionKey.set(key);
        estimate.set(shown);
    }

    /** True when the shown estimate is exactly the one {@code compression} under {@code key} by {@code protocol} gives. */
    public boolean shows(SessionKey key, io.svdwb.engine.compress.method.CompressionRequest compression,
            io.svdwb.engine.eval.EvaluationProtocol protocol) {
        PerplexityEstimate shown = estimate.get();
        return shown != null && key.equals(estimateSessionKey.get()) && shown.request().equals(compression)
                && shown.protocol().equals(protocol);
    }

    /** The last completed full evaluation (whole evaluation text). */
    public ObjectProperty<PerplexityEstimate> fullEvaluationProperty() {
        return fullEvaluation;
    }

    public PerplexityEstimate getFullEvaluation() {
        return fullEvaluation.get();
    }

    /** "Cancelled", or what the calibration button did; empty otherwise. */
    public StringProperty fullEvaluationNoteProperty() {
        return fullEvaluationNote;
    }

    public JobState spectraJob() {
        return spectraJob;
    }

    public JobState estimateJob() {
        return estimateJob;
    }

    /** The full evaluation or an explicit calibration (one at a time, with progress and cancel). */
    public JobState batchJob() {
        return batchJob;
    }
}
