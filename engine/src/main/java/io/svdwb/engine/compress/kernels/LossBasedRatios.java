package io.svdwb.engine.compress.kernels;

/**
 * SVD-LLM V2's heterogeneous compression ratios within one group of equally shaped matrices (docs/METHODS.md §4.5,
 * the paper's Algorithm 1, steps 2-3): from each matrix's theoretical truncation loss {@code L_i} at the uniform
 * target R, {@code w_i = 1 / ln L_i} and {@code R_i = |G| R w_i / Σ_j w_j}. The mean of the R_i is R, and a matrix
 * that loses more at R is compressed less. [OURS] A ratio above {@code maxRatio} is set to it and the excess is
 * shared among the others in proportion to their weights, so the group's mean, and with equal shapes its parameter
 * count, stays exactly R.
 */
public final class LossBasedRatios {

    /** The paper's clamp of a matrix's ratio (§4.5 pitfalls, [OURS] value). */
    public static final double DEFAULT_MAX_RATIO = 0.95;

    private LossBasedRatios() {
    }

    /**
     * @param losses   L_i of the group's matrices at the uniform target, each above 1 (ln L must be positive; the
     *                 paper's losses come from the unnormalised Gram, §1)
     * @param labels   the matrices, for messages
     * @param target   R, the compression ratio (fraction removed), in (0, maxRatio]
     * @param maxRatio the largest ratio one matrix may get, in (0, 1)
     * @return R_i, in the order of {@code losses}
     * @throws IllegalArgumentException on a loss that is not above 1 (naming the matrix) or a target out of range
     */
    public static double[] ratios(double[] losses, String[] labels, double target, double maxRatio) {
        if (losses.length == 0 || labels.length != losses.length) {
            throw new IllegalArgumentException("need one label per loss and at least one loss, got " + losses.length + " losses and "
                    + labels.length + " labels");
        }
        if (!(maxRatio > 0 && maxRatio < 1) || !(target > 0 && target <= maxRatio)) {
            throw new IllegalArgumentException("the target ratio must be in (0, " + maxRatio + "] and the cap in (0, 1), got target "
                    + target + ", cap " + maxRatio);
        }
        double[] weights = new double[losses.length];
        for (int i = 0; i < losses.length; i++) {
            if (!(losses[i] > 1) || !Double.isFinite(losses[i])) {
                throw new IllegalArgumentException(labels[i] + ": SVD-LLM V2 needs a truncation loss above 1 (its weight is 1/ln L), got "
                        + losses[i] + "; the loss scales with the calibration Gram, which this allocation takes unnormalised");
            }
            weights[i] = 1 / Math.log(losses[i]);
        }
        double[] ratios = new double[losses.length];
        boolean[] capped = new boolean[losses.length];
        // each round caps at least one more matrix or ends, so at most |G| rounds
        for (int round = 0; round <= losses.length; round++) {
            double budget = losses.length * target;
            double freeWeight = 0;
            for (int i = 0; i < losses.length; i++) {
                if (capped[i]) {
                    budget -= maxRatio;
                } else {
                    freeWeight += weights[i];
                }
            }
            boolean newlyCapped = false;
            for (int i = 0; i < losses.length; i++) {
                if (!capped[i]) {
                    ratios[i] = budget * weights[i] / freeWeight;
                    if (ratios[i] > maxRatio) {
                        capped[i] = true;
                        newlyCapped = true;
                    }
                } else {
                    ratios[i] = maxRatio;
                }
            }
            if (!newlyCapped) {
                return ratios;
            }
        }
        throw new IllegalStateException("unreachable: every matrix capped with target " + target + " <= cap " + maxRatio);
    }
}
