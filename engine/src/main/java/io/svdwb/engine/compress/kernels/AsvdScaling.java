package io.svdwb.engine.compress.kernels;

import io.svdwb.engine.linalg.LinearAlgebra;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ASVD activation-aware scaling (docs/METHODS.md §4.3, [CODE] hahnyuan/ASVD4LLM, "abs_mean" mode): input
 * channels are scaled by their typical activation magnitude before the SVD (a diagonal whitening),
 * {@code s_j = a_j^alpha + 1e-6} with {@code a_j} the per-channel mean of |x| (summed over batches; the
 * absolute scale of a does not matter), then {@code M = W diag(s)}, {@code B = sqrt(Sigma_k) V_kᵀ diag(1/s)}.
 * The reference uses a randomized SVD; we use the exact SVD ([OURS], §4.3). The rank search of §4.3 is
 * not a kernel and is not here.
 */
public final class AsvdScaling {

    /** The reference default exponent (§4.3). */
    public static final double DEFAULT_ALPHA = 0.5;
    /** Added to every scale so that a dead channel (a_j = 0) keeps a positive, invertible scale (§4.3). */
    public static final double EPSILON = 1e-6;

    private AsvdScaling() {
    }

    /** {@code s_j = a_j^alpha + 1e-6}. */
    public static double[] channelScales(double[] absMeanPerChannel, double alpha) {
        if (!(Double.isFinite(alpha) && alpha >= 0)) {
            throw new IllegalArgumentException("ASVD alpha must be finite and >= 0, got " + alpha);
        }
        double[] s = new double[absMeanPerChannel.length];
        for (int j = 0; j < s.length; j++) {
            double a = absMeanPerChannel[j];
            if (!(Double.isFinite(a) && a >= 0)) {
                throw new IllegalArgumentException("activation abs-mean of channel " + j + " is " + a
                        + " (must be finite and >= 0)");
            }
            s[j] = Math.pow(a, alpha) + EPSILON;
        }
        return s;
    }

    /** {@link #channelScales} with the default alpha = 0.5. */
    public static double[] channelScales(double[] absMeanPerChannel) {
        return channelScales(absMeanPerChannel, DEFAULT_ALPHA);
    }

    /** The ASVD decomposition of W from per-input-channel abs-mean activations, its SVD computed by {@code linalg}. */
    public static LowRankDecomposition decompose(LinearAlgebra linalg, INDArray w, double[] absMeanPerChannel, double alpha,
            String label) {
        return ScaledSvd.columnScaled(linalg, w, channelScales(absMeanPerChannel, alpha), label);
    }
}
