package io.svdwb.engine.cli;

import io.svdwb.engine.EmbeddedResources;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --model} option shared by the commands; the embedded demo model when omitted. */
final class ModelOptions {

    @Option(names = "--model", paramLabel = "DIR",
            description = "Hugging Face model folder (config.json, *.safetensors, tokenizer.json). Default: the embedded demo model.")
    Path model;

    Path modelDir() {
        return model != null ? model : EmbeddedResources.demoModel();
    }
}
