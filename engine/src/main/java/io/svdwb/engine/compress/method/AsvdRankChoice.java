package io.svdwb.engine.compress.method;

import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.List;

/** Placeholder until the probe-based rank search lands: --asvd-ranks uniform works meanwhile. */
final class AsvdRankChoice {
    private AsvdRankChoice() {
    }

    static void apply(CompressionContext context, DecompositionRecipe recipe, CompressionRequest request, List<MatrixSpec> selected,
            ResultAssembly result, ProgressListener progress) {
        throw new UnsupportedOperationException("the ASVD rank search is not implemented yet; pass --asvd-ranks uniform");
    }
}
