package io.svdwb.engine.eval;

import io.svdwb.engine.files.TextFiles;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.model.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How a perplexity is measured (docs/METHODS.md §5.1): the text, the window length, how many of its first tokens
 * are used, how many windows run per forward pass (which only changes rounding in the last bits, so it is part of
 * the protocol: equal resolved protocols give bit-identical numbers), and how the text splits into documents. The
 * command line's options, the workbench's settings and session files, and every report and manifest use this one
 * type; {@link #describe()} is the one wording of it.
 *
 * <p>A protocol may leave the window and the batch to the model ({@value #MODEL_DEFAULT}); {@link #resolvedFor}
 * fills them in with the one default rule of the project.
 *
 * @param text              the evaluation text; null while none is chosen (the workbench without its embedded data)
 * @param ctx               window length in tokens; {@value #MODEL_DEFAULT} = {@link #defaultContext the model's default}
 * @param maxTokens         use only the first this many tokens (BOS included); 0 for the whole text
 * @param batch             windows per forward pass; {@value #MODEL_DEFAULT} = {@link #defaultBatch as many as fit in 2048 tokens}
 * @param documentSeparator splits the text into documents with one BOS each; null for one document
 */
public record EvaluationProtocol(Path text, int ctx, long maxTokens, int batch, String documentSeparator) {

    /** The value of {@code ctx} and {@code batch} that leaves them to the model. */
    public static final int MODEL_DEFAULT = 0;
    /** Tokens one forward pass takes by default: the default window is at most this, the default batch as many windows as fit. */
    public static final int DEFAULT_BATCH_TOKENS = 2048;

    public EvaluationProtocol {
        if (ctx == 1 || ctx < 0) {
            throw new IllegalArgumentException("the evaluation window must be 0 (the model's default) or at least 2 tokens, got " + ctx);
        }
        if (maxTokens < 0) {
            throw new IllegalArgumentException("max tokens must be 0 (all) or positive, got " + maxTokens);
        }
        if (ctx > 0 && maxTokens > 0 && maxTokens < ctx) {
            throw new IllegalArgumentException("max tokens " + maxTokens + " is less than one window of " + ctx);
        }
        if (batch < 0) {
            throw new IllegalArgumentException("batch must be 0 (as many windows as fit in " + DEFAULT_BATCH_TOKENS
                    + " tokens) or positive, got " + batch);
        }
        if (documentSeparator != null && documentSeparator.isEmpty()) {
            documentSeparator = null;
        }
    }

    /** {@code ctx}-token windows over the first {@code maxTokens} tokens of one document, with the default batch. */
    public static EvaluationProtocol of(Path text, int ctx, long maxTokens) {
        return new EvaluationProtocol(text, ctx, maxTokens, defaultBatch(ctx), null);
    }

    /**
     * The one default window of every perplexity the project reports (the CLI's eval, compress --eval and sweep, the
     * workbench's estimate, full evaluation, sweeps and exports): min(2048, max_position_embeddings), so a model is
     * measured over the longest context it was built for, up to 2048 (docs/METHODS.md §5.1).
     */
    public static int defaultContext(ModelConfig config) {
        return Math.min(DEFAULT_BATCH_TOKENS, config.maxPositionEmbeddings());
    }

    /** The one default batch for windows of {@code ctx} tokens: as many as fit in 2048 tokens, at least 1. */
    public static int defaultBatch(int ctx) {
        return Math.max(1, DEFAULT_BATCH_TOKENS / Math.max(1, ctx));
    }

    /** Whether the window and the batch are numbers rather than left to the model. */
    public boolean isResolved() {
        return ctx != MODEL_DEFAULT && batch != MODEL_DEFAULT;
    }

    /** This protocol with the window and batch it leaves to the model filled in for a model of {@code config}. */
    public EvaluationProtocol resolvedFor(ModelConfig config) {
        int window = ctx != MODEL_DEFAULT ? ctx : defaultContext(config);
        return new EvaluationProtocol(text, window, maxTokens, batch != MODEL_DEFAULT ? batch : defaultBatch(window), documentSeparator);
    }

    /** The same protocol on the whole text. */
    public EvaluationProtocol wholeText() {
        return new EvaluationProtocol(text, ctx, 0, batch, documentSeparator);
    }

    /**
     * The protocol resolved for the model in {@code modelDir} and the text's token stream by that model's tokenizer
     * ({@link EvaluationText}): the one way from a protocol to the numbers the evaluator takes.
     */
    public EvaluationTokens tokenize(Path modelDir, ModelConfig config) throws IOException {
        if (text == null) {
            throw new IOException("no evaluation text: choose one (the embedded WikiText-2 test split was not found)");
        }
        EvaluationProtocol resolved = resolvedFor(config);
        try (TextTokenizer tokenizer = TextTokenizer.open(modelDir)) {
            return new EvaluationTokens(resolved, EvaluationText.tokenize(TextFiles.readUtf8(text), tokenizer, documentSeparator));
        }
    }

    /**
     * The one wording of a protocol in reports, manifests and the workbench, e.g. "wiki.test.raw, first 2,048 tokens,
     * ctx 512"; a batch other than the default and a document separator are named, since they change the number.
     */
    public String describe() {
        String name = text == null ? "(no text)" : text.getFileName() == null ? text.toString() : text.getFileName().toString();
        StringBuilder s = new StringBuilder(name).append(", ")
                .append(maxTokens > 0 ? String.format(Locale.ROOT, "first %,d tokens", maxTokens) : "all tokens")
                .append(ctx != MODEL_DEFAULT ? ", ctx " + ctx : ", the model's default ctx");
        if (batch != MODEL_DEFAULT && (ctx == MODEL_DEFAULT || batch != defaultBatch(ctx))) {
            s.append(", ").append(batch).append(batch == 1 ? " window" : " windows").append(" per forward pass");
        }
        if (documentSeparator != null) {
            s.append(", one BOS per document");
        }
        return s.toString();
    }
}
