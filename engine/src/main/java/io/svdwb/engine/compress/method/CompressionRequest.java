package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import java.util.Objects;

/**
 * One compression: a method, the target ratio c (fraction of the SELECTED matrices' parameters removed,
 * docs/METHODS.md §2.2), which matrices, and the method's options. Checked when built.
 */
public record CompressionRequest(MethodId method, double ratio, Selection selection, MethodOptions options) {

    public CompressionRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(options, "options");
        RankFromRatio.keptRatio(ratio);
    }
}
