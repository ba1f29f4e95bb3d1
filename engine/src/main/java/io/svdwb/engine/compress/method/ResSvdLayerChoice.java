package io.svdwb.engine.compress.method;

import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.List;

/** Placeholder until the probe-based layer search lands: a fixed --ressvd-layers K works meanwhile. */
final class ResSvdLayerChoice {
    private ResSvdLayerChoice() {
    }

    static int choose(CompressionContext context, CompressionRequest request, List<MatrixSpec> selected, List<Integer> layers,
            int kMin, ProgressListener progress) {
        throw new UnsupportedOperationException("choosing the ResSVD layer count by calibration perplexity is not implemented yet; pass --ressvd-layers K");
    }
}
