package io.svdwb.engine.compress.kernels;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A full-rank spectral decomposition {@code W = L diag(sigma) R} from which every rank-k replacement
 * is obtained by slicing alone: {@link #truncate(int)} is what the UI's rank slider calls, without a
 * new SVD. One shape for all training-free kernels (docs/METHODS.md §3.4, §4.1-4.4):
 *
 * <ul>
 *   <li>{@link Kind#PLAIN} (§4.1): {@code L = U}, {@code R = Vᵀ}, sigma of W.</li>
 *   <li>{@link Kind#WHITENED} (§3.4, SVD-LLM): sigma and U of {@code W S}; {@code R = Vᵀ S⁻¹}, obtained
 *       by one triangular solve, so that {@code L diag(sigma) R = W S S⁻¹ = W}.</li>
 *   <li>{@link Kind#COLUMN_SCALED} (§4.3 ASVD, §4.2 FWSVD per input feature): SVD of {@code W diag(d)},
 *       {@code R = Vᵀ diag(1/d)}.</li>
 *   <li>{@link Kind#ROW_SCALED} (§4.2 FWSVD per output row): SVD of {@code diag(d) W},
 *       {@code L = diag(1/d) U}.</li>
 *   <li>{@link Kind#OUTPUT_PROJECTED} (§4.10, Swift-SVD): {@code L = U} of the output covariance {@code W H Wᵀ},
 *       sigma its square-rooted eigenvalues (the singular values of {@code W X}), {@code R = Uᵀ W}; here
 *       {@code L R = W} (for a positive definite H), not {@code L diag(sigma) R}.</li>
 * </ul>
 *
 * <p>Factor convention (§3.4, §4.1, "the sqrt(Sigma) split is the reference choice"):
 * {@code A = L_k diag(sqrt(sigma_k))}, {@code B = diag(sqrt(sigma_k)) R_k}, except for {@link Kind#OUTPUT_PROJECTED},
 * whose R already carries the scale: {@code A = L_k}, {@code B = R_k} (Swift-SVD's own split; sigma there only
 * measures the loss, and a division by a zero eigenvalue is never needed). Everything is DOUBLE;
 * cast with {@link LowRankFactors#asFloat()} at the end. Immutable: arrays are never modified.
 *
 * @param label           the matrix, e.g. {@code L3.q}, for messages
 * @param kind            which scaling was undone
 * @param left            {@code L}, m x r (r = min(m, n))
 * @param singularValues  sigma of the scaled matrix, descending, length r
 * @param right           {@code R}, r x n
 */
public record LowRankDecomposition(String label, Kind kind, INDArray left, double[] singularValues, INDArray right) {

    /** Which matrix was decomposed, i.e. what the singular values measure. */
    public enum Kind {
        /** sigma of W: truncation loss = weight-space Frobenius error. */
        PLAIN,
        /** sigma of W S: truncation loss = {@code ||W X - W' X||_F} exactly (§3.4). */
        WHITENED,
        /** sigma of W diag(d): loss in the column-scaled metric. */
        COLUMN_SCALED,
        /** sigma of diag(d) W: loss in the row-weighted metric. */
        ROW_SCALED,
        /**
         * sigma = sqrt(eigenvalues) of W H Wᵀ = singular values of W X, L its eigenvectors, R = Lᵀ W (Swift-SVD):
         * truncation loss = {@code ||W X - W' X||_F} exactly, like {@link #WHITENED}, with factors {@code L_k, R_k}.
         */
        OUTPUT_PROJECTED
    }

    public LowRankDecomposition {
        singularValues = singularValues.clone();
        if (left.columns() != singularValues.length || right.rows() != singularValues.length) {
            throw new IllegalArgumentException(label + ": inconsistent decomposition shapes");
        }
    }

    @Override
    public double[] singularValues() {
        return singularValues.clone();
    }

    public int rows() {
        return (int) left.rows();
    }

    public int cols() {
        return (int) right.columns();
    }

    /**
     * Frees the factors' off-heap memory now, for a caller that owns this decomposition alone (a streamed 7B run that
     * decomposes, truncates and moves on); a cached one is shared and must be left to the garbage collector.
     */
    public void close() {
        left.close();
        right.close();
    }

    /** {@code r = min(m, n)}: the largest rank {@link #truncate} accepts (it reproduces W). */
    public int fullRank() {
        return singularValues.length;
    }

    /**
     * The rank-k factors {@code A = L_k sqrt(Sigma_k)}, {@code B = sqrt(Sigma_k) R_k} ({@code L_k}, {@code R_k} for
     * {@link Kind#OUTPUT_PROJECTED}) in DOUBLE, by slicing
     * (no decomposition is recomputed).
     *
     * @throws IllegalArgumentException if k is not in [1, fullRank()]
     */
    public LowRankFactors truncate(int k) {
        if (k < 1 || k > fullRank()) {
            throw new IllegalArgumentException(label + ": rank " + k + " outside [1, " + fullRank() + "]");
        }
        if (kind == Kind.OUTPUT_PROJECTED) {
            return new LowRankFactors(left.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k)).dup('c'),
                    right.get(NDArrayIndex.interval(0, k), NDArrayIndex.all()).dup('c'));
        }
        double[] root = new double[k];
        for (int i = 0; i < k; i++) {
            root[i] = Math.sqrt(singularValues[i]);
        }
        INDArray rootRow = Nd4j.createFromArray(root).reshape(1, k);
        INDArray rootCol = rootRow.reshape(k, 1);
        INDArray a = left.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k)).mulRowVector(rootRow);
        INDArray b = right.get(NDArrayIndex.interval(0, k), NDArrayIndex.all()).mulColumnVector(rootCol);
        return new LowRankFactors(a, b);
    }

    /**
     * {@code sqrt(sum_{i > k} sigma_i^2)}: the error of {@link #truncate(k)} in this decomposition's
     * metric (for {@link Kind#WHITENED} and {@link Kind#OUTPUT_PROJECTED} exactly {@code ||W X - A B X||_F}, §3.4). Summed from the
     * smallest value up for accuracy. k = 0 gives the norm of the scaled matrix.
     */
    public double truncationLoss(int k) {
        if (k < 0 || k > fullRank()) {
            throw new IllegalArgumentException(label + ": rank " + k + " outside [0, " + fullRank() + "]");
        }
        double sum = 0;
        for (int i = singularValues.length - 1; i >= k; i--) {
            sum += singularValues[i] * singularValues[i];
        }
        return Math.sqrt(sum);
    }

    @Override
    public String toString() {
        return "LowRankDecomposition[" + label + ", " + kind + ", " + rows() + " x " + cols() + ", sigma_1="
                + (singularValues.length > 0 ? singularValues[0] : Double.NaN) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    static String shape(INDArray x) {
        return Arrays.toString(x.shape());
    }
}
