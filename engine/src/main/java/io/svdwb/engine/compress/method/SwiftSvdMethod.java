package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.compress.swift.BlockInfluence;
import io.svdwb.engine.compress.swift.SwiftRankAllocation;
import io.svdwb.engine.compress.swift.SwiftSvdOptions;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Swift-SVD (§4.10): every selected matrix from one eigendecomposition of its output covariance (cached like every
 * decomposition, so another ratio or allocation is slicing), at uniform ranks k(rho) or at the repository's dynamic
 * ranks (layer Block Influence x output norm, per projection type, within each type's uniform budget).
 */
final class SwiftSvdMethod {

    private SwiftSvdMethod() {
    }

    static void apply(CompressionContext context, CompressionRequest request, List<MatrixSpec> selected, ResultAssembly result,
            ProgressListener progress) {
        SwiftSvdOptions options = request.options().swift();
        DecompositionRecipe recipe = new DecompositionRecipe.OutputCovariance();
        List<LowRankDecomposition> decompositions = new ArrayList<>();
        progress.begin("Swift-SVD: output-covariance eigendecompositions of " + selected.size() + " matrices", selected.size());
        try {
            for (MatrixSpec matrix : selected) {
                progress.throwIfCancelled();
                decompositions.add(context.decomposition(recipe, matrix, ProgressListener.NONE));
                progress.advanceTo(decompositions.size());
            }
        } finally {
            progress.end();
        }
        int[] ranks = options.allocation() == SwiftSvdOptions.Allocation.UNIFORM
                ? selected.stream().mapToInt(m -> RankFromRatio.rank(m.rows(), m.cols(), request.ratio())).toArray()
                : dynamicRanks(context, request, selected, decompositions, result, progress);
        for (int i = 0; i < selected.size(); i++) {
            LowRankDecomposition d = decompositions.get(i);
            result.lowRank(selected.get(i), d.truncate(ranks[i]), d.truncationLoss(ranks[i]));
        }
        result.detail("swift.allocation", options.key());
    }

    private static int[] dynamicRanks(CompressionContext context, CompressionRequest request, List<MatrixSpec> selected,
            List<LowRankDecomposition> decompositions, ResultAssembly result, ProgressListener progress) {
        MethodOptions options = request.options();
        int layers = selected.stream().mapToInt(MatrixSpec::layer).max().orElseThrow() + 1;
        double[] influence = importance(context, options, layers, progress);
        List<SwiftRankAllocation.Matrix> matrices = new ArrayList<>();
        for (int i = 0; i < selected.size(); i++) {
            MatrixSpec m = selected.get(i);
            matrices.add(new SwiftRankAllocation.Matrix(m.kind().name(), m.layer(), m.rows(), m.cols(),
                    RankFromRatio.rank(m.rows(), m.cols(), request.ratio()), decompositions.get(i).truncationLoss(0)));
        }
        Map<Integer, Double> byLayer = new LinkedHashMap<>();
        for (int layer = 0; layer < layers; layer++) {
            byLayer.put(layer, influence[layer]);
        }
        result.detail("swift.block_influence", byLayer.values().stream()
                .map(v -> String.format(Locale.ROOT, "%.4f", v)).collect(Collectors.joining(" ")));
        return SwiftRankAllocation.allocate(matrices, byLayer, RankFromRatio.keptRatio(request.ratio()), options.swift().alpha());
    }

    /** Block Influence of the uncompressed model on the probe windows, memoised per context. */
    private static double[] importance(CompressionContext context, MethodOptions options, int layers, ProgressListener progress) {
        int length = options.probeLength() > 0 ? options.probeLength() : context.calibrationLength();
        String key = "swift block influence " + options.probeSamples() + "x" + length + " seed " + options.probeSeed()
                + " layers " + layers;
        return context.memo(key, () -> {
            int[][] windows = context.probeWindows(options.probeSamples(), length, options.probeSeed()).windows();
            context.note(String.format(Locale.ROOT, "Swift-SVD block influence: %d windows x %d tokens from %s (seed %d)",
                    windows.length, length, context.calibrationText().getFileName(), options.probeSeed()));
            return BlockInfluence.measure(context.model(), windows, Math.max(1, 1024 / length), layers, progress);
        });
    }
}
