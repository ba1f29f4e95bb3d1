package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.compress.kernels.ResidualSvd;
import io.svdwb.engine.compress.kernels.Whitening;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * ResSVD (§4.7): partial-layer compression (only the last k selected layers, each at R_l = N R_o / k) with
 * residual compensation (two whitened truncations, the second of the weight-space residual).
 */
final class ResSvdMethod {

    private ResSvdMethod() {
    }

    /** The per-layer ratio R_l = N R_o / k (§4.7) for the last k of N selected layers. */
    static double layerRatio(int selectedLayers, double overallRatio, int compressedLayers) {
        return selectedLayers * overallRatio / compressedLayers;
    }

    /** k_min = ceil(N R_o / R_max): the fewest layers that can carry the target without exceeding R_max. */
    static int minimumLayers(int selectedLayers, double overallRatio, double maxLayerRatio) {
        int k = (int) Math.ceil(selectedLayers * overallRatio / maxLayerRatio - 1e-12);
        if (k > selectedLayers) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "ResSVD cannot reach ratio %.3f on %d layers with at most %.2f per layer", overallRatio, selectedLayers, maxLayerRatio));
        }
        return Math.max(1, k);
    }

    static void apply(CompressionContext context, CompressionRequest request, List<MatrixSpec> selected,
            ResultAssembly result, ProgressListener progress) {
        MethodOptions options = request.options();
        List<Integer> layers = new ArrayList<>(new TreeSet<>(selected.stream().map(MatrixSpec::layer).toList()));
        int n = layers.size();
        int kMin = minimumLayers(n, request.ratio(), options.ressvdMaxLayerRatio());
        int k = options.ressvdLayers();
        if (k == 0) {
            k = ResSvdLayerChoice.choose(context, request, selected, layers, kMin, progress);
        } else if (k > n || k < kMin) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "ResSVD layer count %d is outside [%d, %d] for ratio %.3f on %d selected layers (R_max %.2f)",
                    k, kMin, n, request.ratio(), n, options.ressvdMaxLayerRatio()));
        }
        double layerRatio = layerRatio(n, request.ratio(), k);
        List<Integer> compressed = layers.subList(n - k, n);
        result.detail("ressvd.layers", k + " of " + n + " (layers " + compressed.get(0) + "-" + compressed.get(k - 1) + ")");
        result.detail("ressvd.layer_ratio", String.format(Locale.ROOT, "%.4f", layerRatio));
        result.detail("ressvd.beta", Double.toString(options.ressvdBeta()));
        compose(context, options, layerRatio, selected, compressed, result, progress);
    }

    static void compose(CompressionContext context, MethodOptions options, double layerRatio, List<MatrixSpec> selected,
            List<Integer> compressedLayers, ResultAssembly result, ProgressListener progress) {
        DecompositionRecipe recipe = new DecompositionRecipe.Whitened(options.whitening());
        progress.begin(String.format(Locale.ROOT, "ResSVD: residual compensation at %.3f in %d layers", layerRatio,
                compressedLayers.size()), selected.size());
        try {
            for (int i = 0; i < selected.size(); i++) {
                progress.throwIfCancelled();
                MatrixSpec matrix = selected.get(i);
                if (!compressedLayers.contains(matrix.layer())) {
                    result.dense(matrix);
                } else {
                    ResidualSvd.Composition c = composition(context, options, recipe, matrix, layerRatio);
                    LowRankDecomposition stage1 = context.decomposition(recipe, matrix, ProgressListener.NONE);
                    result.lowRank(matrix, c.combined(), stage1.truncationLoss(c.combined().rank()));
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
        int r = RankFromRatio.rank(matrix.rows(), matrix.cols(), layerRatio);
        int residual = ResidualSvd.residualRank(matrix.rows(), matrix.cols(), r, options.ressvdBeta());
        Whitening.Result s = context.whitening(matrix, options.whitening(), ProgressListener.NONE);
        LowRankDecomposition stage1 = context.decomposition(recipe, matrix, ProgressListener.NONE);
        return ResidualSvd.compose(stage1, context.weight(matrix), s.factor(), r - residual, residual,
                options.ressvdMetric(), matrix.label());
    }
}
