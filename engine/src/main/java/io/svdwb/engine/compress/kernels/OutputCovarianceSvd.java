package io.svdwb.engine.compress.kernels;

import io.svdwb.engine.linalg.EigenResult;
import io.svdwb.engine.linalg.LinearAlgebra;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Swift-SVD's closed form (docs/METHODS.md §4.10): one symmetric eigendecomposition of the output covariance
 * {@code C = W H Wᵀ} (m x m, H = X Xᵀ the raw input Gram) gives the best rank-k approximation in the activation
 * metric, {@code W' = U_k U_kᵀ W}, because {@code U} and {@code sqrt(lambda)} are the left singular vectors and
 * singular values of {@code W X}: projecting the outputs onto their top-k principal directions is the
 * Eckart-Young optimum of {@code ||W X - W' X||_F}, and its squared loss is the sum of the dropped eigenvalues.
 *
 * <p>Why this kernel and not the whitened SVD: no Cholesky, so no ridge or fallback, and H may be singular
 * (a projection onto directions of the output space never needs H's inverse). The repository
 * (hiahei/Swift-SVD, {@code utils/svd.py}, {@code update_svd_weights_end.py}) hooks each layer's OUTPUT
 * ({@code Y = X Wᵀ} in torch's row layout), accumulates {@code Yᵀ Y = W H Wᵀ} and sets
 * {@code W_k = V_r (V_rᵀ W)} with V its eigenvectors: our U. It forms C from the outputs in float32; we form it
 * from the cached double H, which is the same matrix up to rounding.
 *
 * <p>Stored as a {@link LowRankDecomposition.Kind#OUTPUT_PROJECTED} decomposition: {@code L = U_r},
 * sigma = sqrt(max(lambda, 0)), {@code R = U_rᵀ W} with r = min(m, n) (C has rank at most n), so that
 * {@code truncate(k)} gives the repository's split {@code A = U_k}, {@code B = U_kᵀ W}, and any rank is a slice.
 */
public final class OutputCovarianceSvd {

    private OutputCovarianceSvd() {
    }

    /**
     * @param linalg the backend for the products and the eigendecomposition
     * @param w      m x n weight ([out, in]), FLOAT or DOUBLE
     * @param gram   n x n input Gram {@code H = X Xᵀ} (symmetric positive semi-definite; singular is fine)
     * @param label  names the matrix in error messages
     * @throws IllegalArgumentException on a shape mismatch or a non-finite entry
     * @throws NonFiniteResultException if C or its eigenvectors overflowed
     */
    public static LowRankDecomposition decompose(LinearAlgebra linalg, INDArray w, INDArray gram, String label) {
        INDArray wd = SvdKernel.weight(w, label);
        KernelChecks.requireMatrix(gram, label, "the Gram matrix H");
        if (gram.rows() != gram.columns() || gram.rows() != wd.columns()) {
            throw new IllegalArgumentException(label + ": the Gram matrix H must be " + wd.columns() + " x " + wd.columns()
                    + " for a weight of shape " + LowRankDecomposition.shape(wd) + ", got " + LowRankDecomposition.shape(gram));
        }
        KernelChecks.requireFinite(gram, label, "the Gram matrix H", false);
        INDArray h = KernelChecks.asDouble(gram);
        INDArray wh = linalg.matmul(wd, false, h, false);
        INDArray covariance = linalg.matmul(wh, false, wd, true);
        wh.close();
        if (h != gram) {
            h.close();
        }
        KernelChecks.requireFinite(covariance, label, "the output covariance W H Wᵀ", true);
        // symmetricEigen reads the lower triangle only, so C's last-bit asymmetry from the two products is harmless
        EigenResult eig = linalg.symmetricEigen(covariance);
        covariance.close();
        int m = (int) wd.rows();
        int r = Math.min(m, (int) wd.columns());
        double[] values = eig.values().toDoubleVector();
        double[] sigma = new double[r];
        for (int i = 0; i < r; i++) {
            // C is positive semi-definite; a rounding-negative eigenvalue is a zero one
            sigma[i] = Math.sqrt(Math.max(values[i], 0));
        }
        INDArray left = eig.vectors().get(NDArrayIndex.all(), NDArrayIndex.interval(0, r)).dup('c');
        eig.vectors().close();
        eig.values().close();
        KernelChecks.requireFinite(left, label, "the eigenvectors of W H Wᵀ", true);
        INDArray right = linalg.matmul(left, true, wd, false);
        if (wd != w) {
            wd.close(); // our double copy of a float weight
        }
        KernelChecks.requireFinite(right, label, "the right factor Uᵀ W", true);
        return new LowRankDecomposition(label, LowRankDecomposition.Kind.OUTPUT_PROJECTED, left, sigma, right);
    }
}
