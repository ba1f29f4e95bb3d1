package io.svdwb.app.setup;

import io.svdwb.engine.EmbeddedResources;
import io.svdwb.engine.compress.method.Sweep;
import io.svdwb.engine.eval.EvaluationText;
import io.svdwb.engine.eval.PerplexityEvaluator;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How perplexity is measured (docs/METHODS.md §5.1, as the CLI's --text, --ctx, --max-tokens, --batch, --doc-sep).
 *
 * @param text              the evaluation text
 * @param ctx               window length; 0 = the model's default, min(2048, max_position_embeddings)
 * @param maxTokens         use only the first this many tokens (BOS included); 0 = all
 * @param batch             windows per forward pass; 0 = as many as fit in 2048 tokens
 * @param documentSeparator splits the text into documents with one BOS each; null = one document
 */
public record EvaluationSettings(Path text, int ctx, long maxTokens, int batch, String documentSeparator) {

    /** Enough tokens for a stable comparison on small models while a sweep cell stays in seconds. */
    public static final long DEFAULT_MAX_TOKENS = 32_768;

    public EvaluationSettings {
        if (ctx == 1 || ctx < 0) {
            throw new IllegalArgumentException("the evaluation window must be 0 (model default) or at least 2 tokens, got " + ctx);
        }
        if (maxTokens < 0 || batch < 0) {
            throw new IllegalArgumentException("max tokens and batch must be >= 0 (0 = all / automatic), got " + maxTokens + ", " + batch);
        }
        if (documentSeparator != null && documentSeparator.isEmpty()) {
            documentSeparator = null;
        }
    }

    /** The embedded WikiText-2 test split (raw), the model's default window, the first 32,768 tokens. */
    public static EvaluationSettings defaults() {
        Path text = EmbeddedResources.folder().map(folder -> folder.resolve(EmbeddedResources.WIKITEXT2_TEST)).orElse(null);
        return new EvaluationSettings(text, 0, DEFAULT_MAX_TOKENS, 0, null);
    }

    /** The protocol for {@code model}: the text tokenized by the engine, the window and batch resolved. Reads the text. */
    public Sweep.Evaluation resolve(LlamaModel model, Path modelDir) throws IOException {
        if (text == null || !Files.isRegularFile(text)) {
            throw new IOException("evaluation text " + text + " not found; choose another text in the evaluation settings");
        }
        int window = windowFor(model);
        int windowsPerBatch = batch > 0 ? batch : PerplexityEvaluator.defaultBatch(window);
        try (TextTokenizer tokenizer = TextTokenizer.open(modelDir)) {
            int[] tokens = EvaluationText.tokenize(Files.readString(text), tokenizer, documentSeparator);
            return new Sweep.Evaluation(tokens, window, maxTokens, windowsPerBatch);
        }
    }

    /** The window this model gets. */
    public int windowFor(LlamaModel model) {
        return ctx > 0 ? ctx : PerplexityEvaluator.defaultContext(model);
    }

    /** One line saying how the numbers were measured, as the CLI prints it; {@code resolvedCtx} 0 = not yet known. */
    public String protocol(int resolvedCtx) {
        String name = text == null ? "(no text)" : String.valueOf(text.getFileName());
        return String.format(Locale.ROOT, "%s, %s%s, non-overlapping windows, NLL over positions 1..ctx-1%s", name,
                resolvedCtx > 0 ? "ctx " + resolvedCtx : "the model's default ctx",
                maxTokens > 0 ? String.format(Locale.ROOT, ", first %,d tokens", maxTokens) : "",
                documentSeparator != null ? ", one BOS per document" : "");
    }
}
