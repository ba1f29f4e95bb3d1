package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.compress.kernels.ResidualSvd;
import io.svdwb.engine.compress.kernels.Whitening;
import io.svdwb.engine.compress.search.ResSvdLayerSearch;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.List;
import java.util.Locale;

/**
 * ResSVD (§4.7): partial-layer compression (only the last k selected layers, each at R_l = N R_o / k) with
 * residual compensation (two whitened truncations, the second of the weight-space residual).
 */
final class ResSvdMethod {

    private ResSvdMethod() {
    }

    static void apply(CompressionContext context, CompressionRequest request, List<MatrixSpec> selected,
            ResultAssembly result, ProgressListener progress) {
        MethodOptions options = request.options();
        ResSvdLayerSearch.Plan plan = options.ressvdLayers() == 0
                ? ResSvdLayerChoice.choose(context, request, selected, result, progress)
                : ResSvdLayerSearch.plan(selected, request.ratio(), options.ressvdLayers(), options.ressvdMaxLayerRatio());
        List<Integer> compressed = plan.compressedLayers();
        int n = (int) selected.stream().mapToInt(MatrixSpec::layer).distinct().count();
        result.detail("ressvd.layers", plan.k() + " of " + n + " (layers " + compressed.get(0) + "-" + compressed.get(plan.k() - 1) + ")");
        result.detail("ressvd.layer_ratio", String.format(Locale.ROOT, "%.4f", plan.layerRatio()));
        result.detail("ressvd.beta", Double.toString(options.ressvdBeta()));
        DecompositionRecipe recipe = new DecompositionRecipe.Whitened(options.whitening());
        progress.begin(String.format(Locale.ROOT, "ResSVD: residual compensation at %.3f in %d layers", plan.layerRatio(),
                compressed.size()), selected.size());
        try {
            for (int i = 0; i < selected.size(); i++) {
                progress.throwIfCancelled();
                MatrixSpec matrix = selected.get(i);
                if (!compressed.contains(matrix.layer())) {
                    result.dense(matrix);
                } else {
                    ResidualSvd.Composition c = composition(context, options, recipe, matrix, plan.layerRatio());
                    double loss = options.ressvdMetric() == ResidualSvd.ResidualMetric.WHITENED
                            ? context.decomposition(recipe, matrix, ProgressListener.NONE).truncationLoss(c.combined().rank())
                            : Double.NaN;
                    result.lowRank(matrix, c.combined(), loss);
                }
                progress.advanceTo(i + 1);
            }
        } finally {
            progress.end();
        }
    }

    /** The two-stage factors of one matrix at rank r = k(1 - R_l), r_r = round(beta mn/(m+n)). */
    static ResidualSvd.Composition composition(CompressionContext context, MethodOptions options, DecompositionRecipe recipe,
            MatrixSpec matrix, double layerRatio) {
        return compositionAtRank(context, options, recipe, matrix, RankFromRatio.rank(matrix.rows(), matrix.cols(), layerRatio));
    }

    /** The two-stage factors of one matrix at total rank r (an imported one, §2.7): r_r = residualRank(r, beta), r_1 = r - r_r. */
    static ResidualSvd.Composition compositionAtRank(CompressionContext context, MethodOptions options, DecompositionRecipe recipe,
            MatrixSpec matrix, int r) {
        int residual = ResidualSvd.residualRank(matrix.rows(), matrix.cols(), r, options.ressvdBeta());
        Whitening.Result s = context.whitening(matrix, options.whitening(), ProgressListener.NONE);
        LowRankDecomposition stage1 = context.decomposition(recipe, matrix, ProgressListener.NONE);
        return ResidualSvd.compose(context.linearAlgebra(), stage1, context.weight(matrix), s.factor(), r - residual, residual,
                options.ressvdMetric(), matrix.label());
    }
}
