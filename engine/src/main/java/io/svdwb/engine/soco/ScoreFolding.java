package io.svdwb.engine.soco;

import io.svdwb.engine.compress.kernels.LowRankFactors;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Folding learned scores into ordinary rank-k factors (docs/METHODS.md §4.8 step 6): for the kept set K,
 * {@code A = U_K diag(sqrt(sigma_K a_K))} and {@code B = diag(sqrt(sigma_K a_K)) Vt'_K}, so
 * {@code A B = U_K diag(sigma_K ⊙ a_K) Vt'_K} with no extra storage; scores above 1 are the amplification.
 */
public final class ScoreFolding {

    private ScoreFolding() {
    }

    /**
     * @param left   U, m x r
     * @param sigma  r singular values
     * @param a      r multipliers {@code max(theta, 0)}
     * @param right  Vt', r x n
     * @param kept   indices into the r components
     */
    public static LowRankFactors fold(INDArray left, double[] sigma, double[] a, INDArray right, int[] kept) {
        if (kept.length == 0) {
            throw new IllegalArgumentException("no component is kept");
        }
        long[] columns = new long[kept.length];
        double[] root = new double[kept.length];
        for (int j = 0; j < kept.length; j++) {
            columns[j] = kept[j];
            root[j] = Math.sqrt(sigma[kept[j]] * Math.max(a[kept[j]], 0));
        }
        INDArray rootRow = Nd4j.createFromArray(root).reshape(1, kept.length).castTo(left.dataType());
        INDArray a1 = left.get(NDArrayIndex.all(), NDArrayIndex.indices(columns)).dup().mulRowVector(rootRow);
        INDArray b = right.get(NDArrayIndex.indices(columns), NDArrayIndex.all()).dup()
                .mulColumnVector(rootRow.reshape(kept.length, 1).castTo(right.dataType()));
        return new LowRankFactors(a1, b);
    }

    /**
     * The folded matrix's error in the decomposition's own metric (for a whitened decomposition exactly
     * {@code ||W X - A B X||_F}, §3.4): {@code sqrt(Σ_{i in K} sigma_i² (1 - a_i)² + Σ_{i not in K} sigma_i²)} over
     * all of {@code sigma} (components past {@code a.length} are dropped).
     */
    public static double outputError(double[] sigma, double[] a, int[] kept) {
        boolean[] isKept = new boolean[sigma.length];
        for (int i : kept) {
            isKept[i] = true;
        }
        double sum = 0;
        for (int i = sigma.length - 1; i >= 0; i--) {
            double residual = isKept[i] ? 1 - Math.max(a[i], 0) : 1;
            sum += sigma[i] * sigma[i] * residual * residual;
        }
        return Math.sqrt(sum);
    }
}
