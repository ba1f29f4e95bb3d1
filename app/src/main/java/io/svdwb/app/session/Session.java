package io.svdwb.app.session;

import io.svdwb.app.compare.ComparisonRow;
import io.svdwb.app.setup.CalibrationSetup;
import io.svdwb.app.CompressionSetting;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.compress.method.MethodId;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything needed to come back to where one left off: the model, the compression set up for it, calibration and
 * evaluation settings, the compare view's choices, and the results shown (sweep rows, estimate).
 *
 * @param compareProtocol how the sweep rows' perplexities were measured ("" when there are none)
 * @param estimate        the estimate shown for {@code compression}; null when none was shown
 */
public record Session(Path modelDir, CompressionSetting compression, CalibrationSetup calibration, EvaluationProtocol evaluation,
                      List<MethodId> compareMethods, String compareRatios, String compareProtocol, List<ComparisonRow> sweepRows,
                      SavedEstimate estimate) {

    public Session {
        Objects.requireNonNull(modelDir, "modelDir");
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(calibration, "calibration");
        Objects.requireNonNull(evaluation, "evaluation");
        compareMethods = List.copyOf(compareMethods);
        compareRatios = compareRatios == null ? "" : compareRatios;
        compareProtocol = compareProtocol == null ? "" : compareProtocol;
        sweepRows = List.copyOf(sweepRows);
    }
}
