package io.svdwb.engine.compress.method;

import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.List;

/**
 * What a {@link CompressionMethod} works with: the cached context, the request (ratio, selection, settings), the
 * selected matrices in model order, where the factors go, and progress with cancellation.
 */
public record MethodRun(CompressionContext context, CompressionRequest request, List<MatrixSpec> selected,
                        ResultAssembly result, ProgressListener progress) {

    public MethodSettings settings() {
        return request.settings();
    }

    public double ratio() {
        return request.ratio();
    }
}
