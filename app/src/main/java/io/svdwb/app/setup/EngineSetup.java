package io.svdwb.app.setup;

import io.svdwb.engine.EmbeddedResources;
import io.svdwb.engine.eval.EvaluationProtocol;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What every engine job of the workbench needs besides the compression itself: the model, calibration, evaluation and
 * the device that runs the linear algebra ({@code cpu}, {@code cuda:N}; see {@link io.svdwb.engine.linalg.Devices}).
 */
public record EngineSetup(Path modelDir, CalibrationSetup calibration, EvaluationProtocol evaluation, String device) {

    public EngineSetup {
        Objects.requireNonNull(modelDir, "modelDir");
        Objects.requireNonNull(calibration, "calibration");
        Objects.requireNonNull(evaluation, "evaluation");
        device = device == null ? "cpu" : device;
    }

    /** On the CPU. */
    public EngineSetup(Path modelDir, CalibrationSetup calibration, EvaluationProtocol evaluation) {
        this(modelDir, calibration, evaluation, "cpu");
    }

    /** Enough evaluation tokens for a stable comparison on small models while a sweep cell stays in seconds. */
    public static final long DEFAULT_EVALUATION_TOKENS = 32_768;

    /** {@code modelDir} with the default calibration and evaluation. */
    public static EngineSetup defaults(Path modelDir) {
        return new EngineSetup(modelDir, CalibrationSetup.defaults(), defaultEvaluation());
    }

    /**
     * The embedded WikiText-2 test split (raw; null when it was not found), the model's default window and batch, the
     * first {@value #DEFAULT_EVALUATION_TOKENS} tokens.
     */
    public static EvaluationProtocol defaultEvaluation() {
        Path text = EmbeddedResources.folder().map(folder -> folder.resolve(EmbeddedResources.WIKITEXT2_TEST)).orElse(null);
        return new EvaluationProtocol(text, EvaluationProtocol.MODEL_DEFAULT, DEFAULT_EVALUATION_TOKENS, EvaluationProtocol.MODEL_DEFAULT,
                null);
    }
}
