package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.duo.ColumnExchange;
import io.svdwb.engine.compress.duo.ColumnPreservingFactors;
import io.svdwb.engine.compress.duo.ColumnPreservingSvd;
import io.svdwb.engine.compress.kernels.FisherWeighting;
import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.RealisedRatio;
import io.svdwb.engine.compress.kernels.ResidualSvd;
import io.svdwb.engine.compress.rankmap.MissingModules;
import io.svdwb.engine.compress.rankmap.RankMap;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A method run from an imported rank map (docs/METHODS.md §2.7): the map's rank replaces the rank the method would
 * choose for each matrix it names, and the method's own factorisation is kept. What that means per method [OURS]:
 * <ul>
 * <li>svd, fwsvd, svd-llm, asvd: the imported rank instead of k(rho); ASVD's sensitivity search is skipped.</li>
 * <li>duo-svd: the imported rank is the module's budget rank instead of the knapsack's (the allocation is skipped);
 * the column-preserving step still trades ranks for dense columns within that budget.</li>
 * <li>ressvd: the imported rank is the total r = r1 + r2 of the residual compensation (r2 from beta as usual); the
 * map, not the partial-layer search, decides which matrices are compressed.</li>
 * <li>soco: refused. SoCo learns which components to keep and prunes to a global budget; an imported rank per
 * matrix has no place in that (left open).</li>
 * </ul>
 * Selected matrices the map leaves out stay dense, or get k(rho), as the map's {@link MissingModules} says.
 */
final class ImportedRankMethod {

    private ImportedRankMethod() {
    }

    static boolean accepts(MethodId method) {
        return method != MethodId.SOCO;
    }

    static String refusal(MethodId method) {
        return "a rank map cannot seed " + method + ": it learns which singular components to keep and prunes them to one "
                + "global budget, so there is no per-matrix rank to start from (docs/METHODS.md §2.7); use another method or "
                + "drop --rank-map";
    }

    static void apply(CompressionContext context, CompressionRequest request, List<MatrixSpec> selected, ResultAssembly result,
            ProgressListener progress) {
        RankMap map = request.rankMap();
        MatrixFactoring factoring = factoring(context, request);
        describe(context, request, selected, result);
        progress.begin("Factoring " + selected.size() + " matrices at the imported ranks (" + request.method() + ")", selected.size());
        try {
            for (int i = 0; i < selected.size(); i++) {
                progress.throwIfCancelled();
                MatrixSpec matrix = selected.get(i);
                int k = map.rankFor(matrix, request.ratio());
                if (k == 0) {
                    result.dense(matrix);
                } else {
                    factoring.apply(matrix, k, result);
                }
                progress.advanceTo(i + 1);
            }
        } finally {
            progress.end();
        }
    }

    /** How one matrix is factored at rank k by the request's method. */
    private interface MatrixFactoring {
        void apply(MatrixSpec matrix, int k, ResultAssembly result);
    }

    private static MatrixFactoring factoring(CompressionContext context, CompressionRequest request) {
        MethodOptions options = request.options();
        return switch (request.method()) {
            case SVD -> truncation(context, new DecompositionRecipe.Plain());
            case FWSVD -> truncation(context, new DecompositionRecipe.FisherDiagonal(FisherWeighting.Orientation.INPUT_COLUMNS));
            case ASVD -> truncation(context, new DecompositionRecipe.ActivationScaled(options.asvdAlpha()));
            case SVD_LLM -> truncation(context, new DecompositionRecipe.Whitened(options.whitening()));
            case DUO_SVD -> options.duoColumnPreserving() ? columnPreserving(context, options)
                    : truncation(context, new DecompositionRecipe.Whitened(options.whitening()));
            case RESSVD -> residual(context, options);
            default -> throw new IllegalArgumentException(refusal(request.method()));
        };
    }

    private static MatrixFactoring truncation(CompressionContext context, DecompositionRecipe recipe) {
        return (matrix, k, result) -> {
            LowRankDecomposition d = context.decomposition(recipe, matrix, ProgressListener.NONE);
            result.lowRank(matrix, d.truncate(k), d.truncationLoss(k));
        };
    }

    /** Duo-SVD step 4 at budget rank k, as DuoSvdMethod does with the knapsack's rank. */
    private static MatrixFactoring columnPreserving(CompressionContext context, MethodOptions options) {
        ColumnPreservingSvd.Options cp = new ColumnPreservingSvd.Options(ColumnPreservingSvd.Options.REFERENCE.acceptanceThreshold(),
                ColumnExchange.Rounding.FLOOR, ColumnPreservingSvd.Options.REFERENCE.minWidth(),
                ColumnPreservingSvd.Options.REFERENCE.maxIterations(), false, options.whitening());
        MatrixFactoring aboveBreakEven = truncation(context, new DecompositionRecipe.Whitened(options.whitening()));
        return (matrix, k, result) -> {
            if ((long) k * (matrix.rows() + matrix.cols()) > matrix.parameters()) {
                // no column trade exists above break-even (§2.3): the plain whitened factors at the imported rank [OURS]
                context.note(matrix.label() + ": imported rank " + k + " is above break-even; plain whitened factors, no kept columns");
                aboveBreakEven.apply(matrix, k, result);
                return;
            }
            ColumnPreservingFactors f = ColumnPreservingSvd.decompose(context.linearAlgebra(), context.weight(matrix),
                    context.statistics(matrix, ProgressListener.NONE).gram(), k, cp, matrix.label());
            result.replace(matrix, f.toLinear(context.bias(matrix), context.linearAlgebra()),
                    new ModuleOutcome(matrix, f.kc(), f.q(), f.stored(), f.loss()));
        };
    }

    private static MatrixFactoring residual(CompressionContext context, MethodOptions options) {
        DecompositionRecipe recipe = new DecompositionRecipe.Whitened(options.whitening());
        return (matrix, k, result) -> {
            ResidualSvd.Composition c = ResSvdMethod.compositionAtRank(context, options, recipe, matrix, k);
            double loss = options.ressvdMetric() == ResidualSvd.ResidualMetric.WHITENED
                    ? context.decomposition(recipe, matrix, ProgressListener.NONE).truncationLoss(c.combined().rank())
                    : Double.NaN;
            result.lowRank(matrix, c.combined(), loss);
        };
    }

    /**
     * The report's lines: where the ranks came from, what happened to the matrices the map leaves out, and the ratio the
     * imported ranks realise (§2.2, k (m + n) per factored matrix) against --ratio.
     */
    private static void describe(CompressionContext context, CompressionRequest request, List<MatrixSpec> selected, ResultAssembly result) {
        RankMap map = request.rankMap();
        result.detail("rank_map", map.describe() + skipped(request.method()));
        List<MatrixSpec> uncovered = map.uncovered(selected);
        result.detail("rank_map.missing", uncovered.size() + " of " + selected.size() + " selected matrices not in the map"
                + (uncovered.isEmpty() ? "" : map.missing() == MissingModules.DENSE ? ": kept dense" : ": at the uniform k(rho)"));
        long outside = map.ranks().size() - selected.stream().filter(map::covers).count();
        if (outside > 0) {
            context.note(outside + " modules of the rank map are outside the selection and stay dense");
        }
        map.notes().forEach(context::note);
        List<RealisedRatio.Entry> entries = new ArrayList<>();
        for (MatrixSpec m : selected) {
            int k = map.rankFor(m, request.ratio());
            entries.add(k == 0 ? RealisedRatio.Entry.dense(m.rows(), m.cols()) : RealisedRatio.Entry.lowRank(m.rows(), m.cols(), k));
        }
        double realised = RealisedRatio.of(entries, context.checkpoint().totalParameters()).effectiveRatio();
        boolean differs = Math.abs(realised - request.ratio()) > 0.002;
        result.detail("rank_map.ratio", String.format(Locale.ROOT, "%.4f realised by the imported ranks (k (m+n) each), %s --ratio %.4f%s",
                realised, differs ? "differs from" : "matches", request.ratio(),
                differs ? ": the map's ranks are kept; --ratio only sets k(rho) for matrices the map leaves out under missing=method" : ""));
    }

    private static String skipped(MethodId method) {
        return switch (method) {
            case ASVD -> "; replaces ASVD's rank search if on";
            case DUO_SVD -> "; replaces the module allocation, column-preserving step kept";
            case RESSVD -> "; replaces the layer search, each rank is r1 + r2";
            default -> "";
        };
    }
}
