package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.duo.ColumnExchange;
import io.svdwb.engine.compress.duo.ColumnPreservingFactors;
import io.svdwb.engine.compress.duo.ColumnPreservingSvd;
import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Duo-SVD (§4.6): a kept ratio per module from the KL-sensitivity knapsack (or the uniform one), then per
 * matrix the column-preserving factorisation at that module's rank budget. Columns bought with traded ranks
 * are rounded DOWN [OURS; the reference rounds to nearest, which can overshoot the budget by half a column].
 */
final class DuoSvdMethod {

    private DuoSvdMethod() {
    }

    static void apply(CompressionContext context, CompressionRequest request, List<MatrixSpec> selected,
            ResultAssembly result, ProgressListener progress) {
        MethodOptions options = request.options();
        double rho0 = RankFromRatio.keptRatio(request.ratio());
        Map<String, Double> kept = options.duoAllocation()
                ? DuoAllocationChoice.keptRatios(context, request, selected, result, progress)
                : uniform(selected, rho0);
        result.detail("duo.allocation", options.duoAllocation() ? "KL-sensitivity knapsack" : "uniform");
        ColumnPreservingSvd.Options cp = new ColumnPreservingSvd.Options(ColumnPreservingSvd.Options.REFERENCE.acceptanceThreshold(),
                ColumnExchange.Rounding.FLOOR, ColumnPreservingSvd.Options.REFERENCE.minWidth(),
                ColumnPreservingSvd.Options.REFERENCE.maxIterations(), false, options.whitening());
        DecompositionRecipe whitened = new DecompositionRecipe.Whitened(options.whitening());
        int splitMatrices = 0;
        progress.begin("Duo-SVD: column-preserving factors", selected.size());
        try {
            for (int i = 0; i < selected.size(); i++) {
                progress.throwIfCancelled();
                MatrixSpec matrix = selected.get(i);
                double p = kept.get(matrix.kind().moduleName(matrix.layer()));
                if (p >= 1.0) {
                    result.dense(matrix);
                } else {
                    int k = RankFromRatio.rank(matrix.rows(), matrix.cols(), 1 - p);
                    if (options.duoColumnPreserving()) {
                        ColumnPreservingFactors f = ColumnPreservingSvd.decompose(context.linearAlgebra(), context.weight(matrix),
                                context.statistics(matrix, ProgressListener.NONE).gram(), k, cp, matrix.label());
                        splitMatrices += f.q() > 0 ? 1 : 0;
                        result.replace(matrix, f.toLinear(context.bias(matrix), context.linearAlgebra()),
                                new ModuleOutcome(matrix, f.kc(), f.q(), f.stored(), f.loss()));
                    } else {
                        LowRankDecomposition d = context.decomposition(whitened, matrix, ProgressListener.NONE);
                        result.lowRank(matrix, d.truncate(k), d.truncationLoss(k));
                    }
                }
                progress.advanceTo(i + 1);
            }
        } finally {
            progress.end();
        }
        if (options.duoColumnPreserving()) {
            result.detail("duo.columns", String.format(Locale.ROOT, "%d of %d matrices keep dense columns", splitMatrices,
                    selected.size()));
        }
    }

    private static Map<String, Double> uniform(List<MatrixSpec> selected, double rho0) {
        Map<String, Double> kept = new java.util.HashMap<>();
        for (MatrixSpec m : selected) {
            kept.put(m.kind().moduleName(m.layer()), rho0);
        }
        return kept;
    }
}
