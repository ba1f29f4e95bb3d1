package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.kernels.RealisedRatio;
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

    static String refusal(MethodId method) {
        return "a rank map cannot seed " + method + ": it chooses which singular components to keep itself, so there is no "
                + "per-matrix rank to start from (docs/METHODS.md §2.7); use another method or drop --rank-map";
    }

    static void apply(MethodRun run) {
        CompressionContext context = run.context();
        CompressionRequest request = run.request();
        List<MatrixSpec> selected = run.selected();
        ResultAssembly result = run.result();
        ProgressListener progress = run.progress();
        RankMap map = request.rankMap();
        CompressionMethod.RankedFactoring factoring = request.method().method().atGivenRanks(run);
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

    /**
     * The report's lines: where the ranks came from, what happened to the matrices the map leaves out, and the ratio the
     * imported ranks realise (§2.2, k (m + n) per factored matrix) against --ratio.
     */
    private static void describe(CompressionContext context, CompressionRequest request, List<MatrixSpec> selected, ResultAssembly result) {
        RankMap map = request.rankMap();
        result.detail("rank_map", map.describe() + "; it replaces the ranks " + request.method() + " would choose");
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

}
