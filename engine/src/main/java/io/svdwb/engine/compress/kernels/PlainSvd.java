package io.svdwb.engine.compress.kernels;

import io.svdwb.engine.linalg.LinearAlgebra;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Plain truncated SVD (docs/METHODS.md §4.1): best rank-k approximation in weight space (Eckart-Young),
 * {@code A = U_k Sigma_k^{1/2}}, {@code B = Sigma_k^{1/2} V_kᵀ}. No calibration. The sanity baseline:
 * catastrophic on LLMs by design (PPL ~2e4 for LLaMA-7B at 20 %).
 */
public final class PlainSvd {

    private PlainSvd() {
    }

    /**
     * The full decomposition of W (m x n, FLOAT or DOUBLE, computed in DOUBLE).
     *
     * @param linalg the backend that computes the SVD
     * @param label  names the matrix in error messages
     * @throws IllegalArgumentException if W has a NaN/infinite entry (message names the matrix)
     * @throws NonFiniteResultException if the SVD returned a non-finite value
     */
    public static LowRankDecomposition decompose(LinearAlgebra linalg, INDArray w, String label) {
        INDArray wd = SvdKernel.weight(w, label);
        return SvdKernel.decompose(linalg, label, LowRankDecomposition.Kind.PLAIN, wd, UnaryOperator.identity(),
                UnaryOperator.identity());
    }
}
