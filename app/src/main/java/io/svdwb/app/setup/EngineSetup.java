package io.svdwb.app.setup;

import java.nio.file.Path;
import java.util.Objects;

/** What every engine job of the workbench needs besides the compression itself: the model, calibration and evaluation. */
public record EngineSetup(Path modelDir, CalibrationSetup calibration, EvaluationSettings evaluation) {

    public EngineSetup {
        Objects.requireNonNull(modelDir, "modelDir");
        Objects.requireNonNull(calibration, "calibration");
        Objects.requireNonNull(evaluation, "evaluation");
    }

    /** {@code modelDir} with the default calibration and evaluation. */
    public static EngineSetup defaults(Path modelDir) {
        return new EngineSetup(modelDir, CalibrationSetup.defaults(), EvaluationSettings.defaults());
    }
}
