package io.svdwb.engine.compress.method;

import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.List;
import java.util.Map;

/** Placeholder until the probe-based KL allocation lands: --duo-allocation uniform works meanwhile. */
final class DuoAllocationChoice {
    private DuoAllocationChoice() {
    }

    static Map<String, Double> keptRatios(CompressionContext context, CompressionRequest request, List<MatrixSpec> selected,
            ResultAssembly result, ProgressListener progress) {
        throw new UnsupportedOperationException("the Duo-SVD KL allocation is not implemented yet; pass --duo-allocation uniform");
    }
}
