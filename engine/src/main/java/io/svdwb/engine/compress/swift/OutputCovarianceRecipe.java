package io.svdwb.engine.compress.swift;

import io.svdwb.engine.calibration.InputStatistics;
import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.OutputCovarianceSvd;
import io.svdwb.engine.compress.method.CompressionContext;
import io.svdwb.engine.compress.method.DecompositionRecipe;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;

/**
 * §4.10 (Swift-SVD): one eigendecomposition of the output covariance {@code W H Wᵀ}; no whitening, so no options
 * (H is used as calibrated, singular or not).
 */
record OutputCovarianceRecipe() implements DecompositionRecipe {

    @Override
    public String key() {
        return "swift-output-covariance";
    }

    @Override
    public LowRankDecomposition decompose(CompressionContext context, MatrixSpec matrix, ProgressListener progress) {
        InputStatistics stats = context.statistics(matrix, progress);
        return OutputCovarianceSvd.decompose(context.linearAlgebra(), context.weight(matrix), stats.gram(), matrix.label());
    }
}
