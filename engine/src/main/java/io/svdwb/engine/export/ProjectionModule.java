package io.svdwb.engine.export;

import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.model.ProjectionKind;

/** A module name such as {@code model.layers.3.self_attn.q_proj} taken apart into its layer and kind. */
public record ProjectionModule(int layer, ProjectionKind kind) {

    private static final String PREFIX = "model.layers.";

    public String name() {
        return kind.moduleName(layer);
    }

    /** Parses {@code module}; refuses names that are not a projection of a model with {@code config}. */
    public static ProjectionModule parse(String module, ModelConfig config) {
        if (module.startsWith(PREFIX)) {
            int dot = module.indexOf('.', PREFIX.length());
            if (dot > PREFIX.length()) {
                String path = module.substring(dot + 1);
                try {
                    int layer = Integer.parseInt(module.substring(PREFIX.length(), dot));
                    for (ProjectionKind kind : ProjectionKind.values()) {
                        if (kind.modulePath().equals(path) && layer >= 0 && layer < config.numLayers()) {
                            return new ProjectionModule(layer, kind);
                        }
                    }
                } catch (NumberFormatException e) {
                    // falls through to the error below
                }
            }
        }
        throw new IllegalArgumentException("'" + module + "' is not a projection of this model (expected e.g. "
                + ProjectionKind.Q.moduleName(0) + ", layers 0.." + (config.numLayers() - 1) + ")");
    }
}
