package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.List;

/**
 * Every selected matrix at the uniform rank k(rho) of §2.3, cut from its cached decomposition: plain SVD,
 * FWSVD, ASVD without the rank search, and SVD-LLM differ only in the recipe.
 */
public final class UniformRankMethod {

    private UniformRankMethod() {
    }

    /** Every selected matrix of {@code run} at k(rho), cut from {@code recipe}'s cached decomposition. */
    public static void apply(MethodRun run, DecompositionRecipe recipe) {
        apply(run.context(), recipe, run.ratio(), run.selected(), run.result(), run.progress());
    }

    static void apply(CompressionContext context, DecompositionRecipe recipe, double ratio, List<MatrixSpec> selected,
            ResultAssembly result, ProgressListener progress) {
        result.ranksFromBitBudget();
        // §2.3, or from the bit budget when the factors are int8 (§2.6)
        apply(context, recipe, m -> result.factorStorage().rank(m.rows(), m.cols(), ratio), selected, result, progress);
    }

    /** As above with each matrix's rank given (SVD-LLM V2's loss-based ratios, §4.5). */
    static void apply(CompressionContext context, DecompositionRecipe recipe, java.util.function.ToIntFunction<MatrixSpec> rank,
            List<MatrixSpec> selected, ResultAssembly result, ProgressListener progress) {
        progress.begin("Decomposing " + selected.size() + " matrices (" + recipe.shortName() + ")", selected.size());
        try {
            for (int i = 0; i < selected.size(); i++) {
                progress.throwIfCancelled();
                MatrixSpec matrix = selected.get(i);
                LowRankDecomposition d = context.decomposition(recipe, matrix, ProgressListener.NONE);
                int k = rank.applyAsInt(matrix);
                result.lowRank(matrix, d, k);
                progress.advanceTo(i + 1);
            }
        } finally {
            progress.end();
        }
    }
}
