package io.svdwb.engine.cli;

import io.svdwb.engine.EmbeddedResources;
import io.svdwb.engine.eval.EvaluationProtocol;
import io.svdwb.engine.files.FileProblemException;
import io.svdwb.engine.files.ReadableFiles;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The perplexity protocol (docs/METHODS.md §5.1) of compress --eval and sweep. */
final class EvaluationOptions {

    @Option(names = "--text", paramLabel = "FILE", description = "Evaluation text. Default: the embedded WikiText-2 test split (raw).")
    Path text;

    @Option(names = "--ctx", paramLabel = "N", description = "Window length in tokens. Default: min(2048, max_position_embeddings).")
    Integer ctx;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Use only the first N tokens of the text, BOS included. Default: all.")
    long maxTokens;

    @Option(names = "--doc-sep", paramLabel = "STRING", description = "Split the text into documents at STRING, trim each of surrounding whitespace and give each its own BOS "
                    + "(e.g. '<|endoftext|>' for TinyStories).")
    String documentSeparator;

    @Option(names = "--batch", paramLabel = "N", description = "Windows per forward pass. Default: as many as fit in 2048 tokens.")
    Integer batch;

    Path textFile() {
        Path file = text != null ? text : EmbeddedResources.require(EmbeddedResources.WIKITEXT2_TEST, "--text FILE");
        try {
            return ReadableFiles.requireReadable(file, "a text file");
        } catch (FileProblemException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The protocol the options ask for; the window and batch left unset are the model's defaults. */
    EvaluationProtocol protocol() {
        return new EvaluationProtocol(textFile(), ctx != null ? ctx : EvaluationProtocol.MODEL_DEFAULT, maxTokens,
                batch != null ? batch : EvaluationProtocol.MODEL_DEFAULT, documentSeparator);
    }
}
