package io.svdwb.engine.calibration;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What calibration knows about one projection input X ([inFeatures, tokens] in docs/METHODS.md §1 notation),
 * accumulated in double over every calibration token.
 *
 * @param gram   H = X Xᵀ, the raw sum over tokens (no division by the token count), DOUBLE [n, n], exactly
 *               symmetric; SVD-LLM's whitening input (§3.2)
 * @param tokens how many token columns were summed
 * @param absSum Σ_t |x_{t,j}| per input channel j: ASVD's "abs_mean" statistic up to the constant factor
 *               {@code tokens} (§4.3: the reference sums per-batch means; with equal-length windows that is
 *               this sum divided by a constant, and ASVD's result does not depend on the scale of a)
 * @param absMax max_t |x_{t,j}| per channel: ASVD's alternative "abs_max" scaling (§4.3)
 */
public record InputStatistics(INDArray gram, long tokens, double[] absSum, double[] absMax) {

    public int features() {
        return absSum.length;
    }

    /** The mean absolute activation per channel, Σ_t |x_{t,j}| / T. */
    public double[] meanAbs() {
        double[] mean = new double[absSum.length];
        for (int j = 0; j < mean.length; j++) {
            mean[j] = absSum[j] / tokens;
        }
        return mean;
    }
}
