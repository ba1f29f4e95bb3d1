package io.svdwb.app.setup;

/**
 * The perplexity estimate shown for the current setting, as a session keeps it.
 *
 * @param perplexity     the estimated perplexity
 * @param achievedRatio  c_eff of the compression it was measured on
 * @param keptParameters parameters kept in the compressible matrices
 * @param protocol       how it was measured
 */
public record Estimate(double perplexity, double achievedRatio, long keptParameters, String protocol) {
}
