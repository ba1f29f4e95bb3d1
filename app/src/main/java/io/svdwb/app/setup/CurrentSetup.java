package io.svdwb.app.setup;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.compress.method.MethodOptions;
import io.svdwb.engine.model.ModelConfig;
import java.nio.file.Path;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * The compression and run settings that export, compare and sessions work from: the open model's folder, the
 * compression chosen for it, calibration and evaluation, and the estimate shown. The main view's controls are
 * meant to write these properties; until they do, a newly opened model gets {@link #defaultCompression}. FX thread only.
 */
public final class CurrentSetup {

    private final ObjectProperty<Path> modelDir = new SimpleObjectProperty<>(this, "modelDir");
    private final ObjectProperty<CompressionChoice> compression = new SimpleObjectProperty<>(this, "compression");
    private final ObjectProperty<CalibrationSetup> calibration = new SimpleObjectProperty<>(this, "calibration", CalibrationSetup.defaults());
    private final ObjectProperty<EvaluationSettings> evaluation = new SimpleObjectProperty<>(this, "evaluation", EvaluationSettings.defaults());
    private final ObjectProperty<Estimate> estimate = new SimpleObjectProperty<>(this, "estimate");
    private final ObjectBinding<EngineSetup> engineSetup = Bindings.createObjectBinding(
            () -> modelDir.get() == null ? null : new EngineSetup(modelDir.get(), calibration.get(), evaluation.get()),
            modelDir, calibration, evaluation);

    /** SVD-LLM at 0.4 over every matrix with the default options: the CLI's usual first run. */
    public static CompressionChoice defaultCompression(ModelConfig config) {
        return new CompressionChoice(MethodId.SVD_LLM, 0.4, Selection.all(config), MethodOptions.DEFAULTS);
    }

    /** The open model's folder; null while none is open. */
    public ObjectProperty<Path> modelDirProperty() {
        return modelDir;
    }

    public ObjectProperty<CompressionChoice> compressionProperty() {
        return compression;
    }

    public ObjectProperty<CalibrationSetup> calibrationProperty() {
        return calibration;
    }

    public ObjectProperty<EvaluationSettings> evaluationProperty() {
        return evaluation;
    }

    /** The perplexity estimate shown for the compression; null when there is none. */
    public ObjectProperty<Estimate> estimateProperty() {
        return estimate;
    }

    /** Model, calibration and evaluation together; null while no model is open. */
    public ObjectBinding<EngineSetup> engineSetupProperty() {
        return engineSetup;
    }
}
