package io.svdwb.engine.workbench;

import io.svdwb.engine.eval.PerplexityEvaluator;
import io.svdwb.engine.model.ModelConfig;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * How a perplexity is measured (docs/METHODS.md §5.1): the text, the window length, how many of its first tokens
 * are used, and how many windows run per forward pass (which only changes rounding in the last bits, so it is
 * part of the protocol: equal protocols give bit-identical numbers).
 *
 * @param text      the evaluation text, tokenized as a whole with one BOS
 * @param ctx       window length in tokens
 * @param maxTokens use only the first this many tokens (BOS included); 0 for the whole text
 * @param batch     windows per forward pass
 */
public record EvaluationProtocol(Path text, int ctx, long maxTokens, int batch) {

    public EvaluationProtocol {
        Objects.requireNonNull(text, "text");
        if (ctx < 2) {
            throw new IllegalArgumentException("the window must hold at least 2 tokens, got " + ctx);
        }
        if (maxTokens < 0) {
            throw new IllegalArgumentException("max tokens must be 0 (all) or positive, got " + maxTokens);
        }
        if (maxTokens > 0 && maxTokens < ctx) {
            throw new IllegalArgumentException("max tokens " + maxTokens + " is less than one window of " + ctx);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
    }

    /** The command line's default batch: as many windows as fit in 2048 tokens. */
    public static EvaluationProtocol of(Path text, int ctx, long maxTokens) {
        return new EvaluationProtocol(text, ctx, maxTokens, PerplexityEvaluator.defaultBatch(ctx));
    }

    /**
     * The project's one default protocol for a model (the CLI's eval with only --max-tokens given): its default window
     * {@link PerplexityEvaluator#defaultContext(ModelConfig)} and the default batch.
     */
    public static EvaluationProtocol defaultFor(Path text, ModelConfig config, long maxTokens) {
        return of(text, PerplexityEvaluator.defaultContext(config), maxTokens);
    }

    /** The same protocol on the whole text. */
    public EvaluationProtocol wholeText() {
        return new EvaluationProtocol(text, ctx, 0, batch);
    }

    /** E.g. "wiki.test.raw, first 2,048 tokens, ctx 512". */
    public String describe() {
        String name = text.getFileName() == null ? text.toString() : text.getFileName().toString();
        String tokens = maxTokens > 0 ? String.format(Locale.ROOT, "first %,d tokens", maxTokens) : "all tokens";
        return name + ", " + tokens + ", ctx " + ctx;
    }
}
