package io.svdwb.app.setup;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.method.CompressionRequest;
import io.svdwb.engine.compress.method.MethodId;
import io.svdwb.engine.compress.method.MethodOptions;

/** One compression as the user set it up: method, target ratio, selected matrices, method options. */
public record CompressionChoice(MethodId method, double ratio, Selection selection, MethodOptions options) {

    /** The engine's request; checks the ratio and that nothing is missing. */
    public CompressionRequest request() {
        return new CompressionRequest(method, ratio, selection, options);
    }
}
