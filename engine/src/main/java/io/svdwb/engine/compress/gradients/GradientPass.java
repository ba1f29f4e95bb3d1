package io.svdwb.engine.compress.gradients;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.soco.ScoredLlama;
import io.svdwb.engine.soco.ScoredProjection;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gradient pass (docs/METHODS.md §4.2, §4.11): the uncompressed model in double ({@link ScoredLlama} with every
 * projection {@link ScoredProjection#dense dense}) runs forward and backward on each batch of windows for the mean
 * next-token cross-entropy, and every compressible projection's {@link MatrixGradients} are collected. The result
 * does not depend on which matrices a request selects, so callers can memoise it per model and settings.
 */
public final class GradientPass {

    /**
     * @param modules  module name ({@code model.layers.3.self_attn.q_proj}) to its statistics, in model order
     * @param meanLoss the mean over batches of each batch's cross-entropy
     */
    public record Result(Map<String, MatrixGradients> modules, double meanLoss, int batches, long predictedTokens) {

        public MatrixGradients of(String module) {
            MatrixGradients g = modules.get(module);
            if (g == null) {
                throw new IllegalArgumentException("the gradient pass has no statistics for " + module);
            }
            return g;
        }
    }

    private GradientPass() {
    }

    /**
     * @param windows         token windows of equal length (at least 2), e.g. from the calibration sampler
     * @param windowsPerBatch windows per backward; the windows are cut into {@code windows.length / windowsPerBatch}
     *                        batches in order (a remainder is refused, so the batch count is what was asked for)
     */
    public static Result run(Checkpoint checkpoint, LlamaModel weights, int[][] windows, int windowsPerBatch,
            LinearAlgebra linalg, ProgressListener progress) throws IOException {
        if (windowsPerBatch < 1 || windows.length == 0 || windows.length % windowsPerBatch != 0) {
            throw new IllegalArgumentException(windows.length + " windows cannot be cut into batches of " + windowsPerBatch);
        }
        Map<String, GradientAccumulator> accumulators = new LinkedHashMap<>();
        ScoredLlama model = ScoredLlama.load(checkpoint, (layer, kind, bias) -> {
            var weight = weights.loadDense(layer, kind).weight();
            ScoredProjection projection = ScoredProjection.dense(weight, bias, linalg);
            GradientAccumulator accumulator = new GradientAccumulator((int) weight.rows(), (int) weight.columns(), linalg);
            projection.setWeightGradientSink(accumulator);
            accumulators.put(kind.moduleName(layer), accumulator);
            return projection;
        }, linalg);
        int batches = windows.length / windowsPerBatch;
        double lossSum = 0;
        progress.begin("Gradients: " + batches + " batches x " + windowsPerBatch + " windows x " + windows[0].length
                + " tokens", batches);
        try {
            for (int b = 0; b < batches; b++) {
                progress.throwIfCancelled();
                lossSum += model.crossEntropyAndGradient(Arrays.copyOfRange(windows, b * windowsPerBatch, (b + 1) * windowsPerBatch));
                progress.advanceTo(b + 1);
            }
        } finally {
            progress.end();
        }
        Map<String, MatrixGradients> out = new LinkedHashMap<>();
        accumulators.forEach((module, accumulator) -> out.put(module, accumulator.result()));
        return new Result(out, lossSum / batches, batches, (long) windows.length * (windows[0].length - 1));
    }
}
