package io.svdwb.engine.cli;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.model.ModelConfig;
import picocli.CommandLine.Option;

/** Which decoder layers and projections a compression touches, less single matrices; the ratio applies to this set. */
final class SelectionOptions {

    @Option(names = "--layers", paramLabel = "SPEC", description = "Decoder layers to compress, e.g. 0-3,6. Default: all.")
    String layers;

    @Option(names = "--modules", paramLabel = "LIST", description = "Projections to compress: q,k,v,o,gate,up,down. Default: all.")
    String modules;

    @Option(names = "--exclude", paramLabel = "LIST",
            description = "Single matrices to leave dense inside --layers x --modules, as layer.projection, e.g. 3.q,4.down. Default: none.")
    String exclude;

    Selection parse(ModelConfig config) {
        return Selection.parse(layers, modules, exclude, config);
    }
}
