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
     * How a calibration runs within the budget.
     *
     * @param settings      the settings asked for, with the windows per forward pass lowered to fit
     * @param streamsOnDisk whether the windows' residual streams are kept on disk, one batch in memory at a time
     */
    public record CalibrationPlan(CalibrationSettings settings, boolean streamsOnDisk) {
    }

    /**
     * The calibration that fits the budget: every window's residual stream in memory if some number of windows per
     * forward pass allows it (the most that fits, unless {@code batchChosen}), else the streams on disk (SVD-LLM's 256
     * windows of 2048 tokens at LLaMA-7B's width take 8.6 GB). Refused before anything runs, with the figure, when even
     * that does not fit.
     */
    public CalibrationPlan calibrationPlan(ModelConfig config, CalibrationSettings settings, boolean batchChosen) {
        int length = settings.windowLengthFor(config);
        for (boolean onDisk : new boolean[] {false, true}) {
            CalibrationSettings s = batchChosen ? settings : settings.withWindowsPerBatch(ForwardMemory.calibrationBatch(
                    config, settings.samples(), length, settings.windowsPerBatch(), budget.bytes(), onDisk));
            long needed = ForwardMemory.calibrationBytes(config, s.samples(), length, s.windowsPerBatch(), onDisk);
            if (needed <= budget.bytes() || onDisk) {
                budget.require(needed, "calibrating on " + s.samples() + " windows of " + length + " tokens, "
                        + s.windowsPerBatch() + " per forward pass" + (onDisk ? ", their residual streams on disk," : ","));
                return new CalibrationPlan(s, onDisk);
            }
        }
        throw new AssertionError("unreachable");
    }
}
