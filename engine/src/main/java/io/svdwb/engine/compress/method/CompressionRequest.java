package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import java.util.Objects;

/**
 * One compression: a method, the target ratio c (fraction of the SELECTED matrices' parameters removed,
 * docs/METHODS.md §2.2), which matrices, and the values of the method's own options. Checked when built.
 */
public record CompressionRequest(MethodId method, double ratio, Selection selection, MethodSettings settings) {

    public CompressionRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(settings, "settings");
        RankFromRatio.keptRatio(ratio);
        if (!settings.options().equals(method.method().options())) {
            throw new IllegalArgumentException("the settings " + settings + " are not " + method + "'s options");
        }
        method.method().validate(settings);
    }

    /** With the method's default settings. */
    public CompressionRequest(MethodId method, double ratio, Selection selection) {
        this(method, ratio, selection, method.defaults());
    }
}
