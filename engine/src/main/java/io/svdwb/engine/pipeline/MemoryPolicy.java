package io.svdwb.engine.pipeline;

import io.svdwb.engine.calibration.CalibrationSettings;
import io.svdwb.engine.memory.MemoryBudget;
import io.svdwb.engine.model.ForwardMemory;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.ModelConfig;
import java.util.Objects;

/**
 * How a run uses memory: the budget it must fit, and whether the model is kept in memory or streamed one decoder
 * layer at a time. Results are the same either way; only what fits changes.
 *
 * @param residency the residency asked for; null chooses it for the model within the budget
 *                  ({@link ForwardMemory#residencyFor})
 */
public record MemoryPolicy(MemoryBudget budget, LlamaModel.Residency residency) {

    public MemoryPolicy {
        Objects.requireNonNull(budget, "budget");
    }

    /** The default budget ({@link MemoryBudget#defaultBudget()}), the residency chosen within it. */
    public static MemoryPolicy defaults() {
        return new MemoryPolicy(MemoryBudget.defaultBudget(), null);
    }

    /** The residency asked for, or the one chosen for a model of {@code config} within the budget. */
    public LlamaModel.Residency residencyFor(ModelConfig config) {
        return residency != null ? residency : ForwardMemory.residencyFor(config, budget.bytes());
    }

    /**
     * {@code settings} with the windows per forward pass lowered (unless {@code batchChosen}) until calibration fits the
     * budget, which then must hold it: refused before anything runs, with the figure, if even one window per pass
     * does not fit.
     */
    public CalibrationSettings calibrationWithin(ModelConfig config, CalibrationSettings settings, boolean batchChosen) {
        CalibrationSettings s = settings;
        int length = s.windowLengthFor(config);
        if (!batchChosen) {
            s = s.withWindowsPerBatch(ForwardMemory.calibrationBatch(config, s.samples(), length, s.windowsPerBatch(), budget.bytes()));
        }
        budget.require(ForwardMemory.calibrationBytes(config, s.samples(), length, s.windowsPerBatch()),
                "calibrating on " + s.samples() + " windows of " + length + " tokens, " + s.windowsPerBatch() + " per forward pass,");
        return s;
    }
}
