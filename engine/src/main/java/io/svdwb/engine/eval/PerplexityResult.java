package io.svdwb.engine.eval;

/**
 * The outcome of a perplexity run and the protocol that produced it, so every number carries how it
 * was measured.
 *
 * @param perplexity        exp(mean NLL) over all predicted positions
 * @param meanNll           mean negative log-likelihood in nats
 * @param tokensPredicted   windows x (ctx - 1)
 * @param windows           non-overlapping windows evaluated
 * @param ctx               window length in tokens
 * @param textTokens        tokens of the whole text (BOS included) before any cut
 * @param tokensUsed        tokens kept after {@code --max-tokens} and dropping the tail
 * @param nonFinitePredictions positions whose NLL was not finite (counted in the mean, never skipped)
 * @param seconds           wall-clock time of the forward passes
 */
public record PerplexityResult(double perplexity, double meanNll, long tokensPredicted, int windows, int ctx,
                               long textTokens, long tokensUsed, long nonFinitePredictions, double seconds) {
}
