package io.svdwb.engine.compress.method;

import io.svdwb.engine.export.ProjectionModule;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LlamaModel;
import java.util.Map;

/** Installs a compression result's replacements in a model (replacing whatever was installed before). */
public final class CompressedModels {

    private CompressedModels() {
    }

    public static LlamaModel install(LlamaModel model, CompressionResult result) {
        model.clearReplacements();
        for (Map.Entry<String, Linear> e : result.replacements().entrySet()) {
            ProjectionModule module = ProjectionModule.parse(e.getKey(), model.config());
            model.replaceProjection(module.layer(), module.kind(), e.getValue());
        }
        return model;
    }
}
