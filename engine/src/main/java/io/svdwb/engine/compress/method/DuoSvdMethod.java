package io.svdwb.engine.compress.method;

import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.List;

/** Placeholder until the column-preserving kernel and the KL allocation land. */
final class DuoSvdMethod {
    private DuoSvdMethod() {
    }

    static void apply(CompressionContext context, CompressionRequest request, List<MatrixSpec> selected,
            ResultAssembly result, ProgressListener progress) {
        throw new UnsupportedOperationException("duo-svd is not implemented yet");
    }
}
