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

    /**
     * Whether this is a usable measurement: every prediction finite and the perplexity itself finite.
     * Weights that are huge but finite give finite NLLs whose mean overflows exp() (perplexity Infinity
     * with no non-finite prediction); that is as much a failure as a NaN.
     */
    public boolean isFinite() {
        return nonFinitePredictions == 0 && Double.isFinite(perplexity) && Double.isFinite(meanNll);
    }

    /** One line saying why {@link #isFinite()} is false (for the command line's exit code 3). */
    public String nonFiniteReason() {
        if (nonFinitePredictions > 0) {
            return nonFinitePredictions + " of " + tokensPredicted + " predictions have a non-finite NLL (NaN or Inf): perplexity "
                    + perplexity;
        }
        return "perplexity " + perplexity + " is not finite (mean NLL " + meanNll
                + " nats): the model's logits are finite but so large that exp(mean NLL) overflows";
    }
}
