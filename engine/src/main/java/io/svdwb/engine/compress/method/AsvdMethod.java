package io.svdwb.engine.compress.method;

import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.List;

/** ASVD (§4.3): activation-scaled decompositions, at uniform ranks or at the ranks of its sensitivity search. */
final class AsvdMethod {

    private AsvdMethod() {
    }

    static void apply(CompressionContext context, CompressionRequest request, List<MatrixSpec> selected,
            ResultAssembly result, ProgressListener progress) {
        DecompositionRecipe recipe = new DecompositionRecipe.ActivationScaled(request.options().asvdAlpha());
        if (!request.options().asvdRankSearch()) {
            result.detail("asvd.ranks", "uniform k(rho)");
            UniformRankMethod.apply(context, recipe, request.ratio(), selected, result, progress);
            return;
        }
        AsvdRankChoice.apply(context, recipe, request, selected, result, progress);
    }
}
