package io.svdwb.engine.linalg;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Thin singular value decomposition {@code A = U diag(s) Vt} of an m x n matrix, k = min(m, n).
 *
 * @param u  m x k, orthonormal columns
 * @param s  k singular values, descending and non-negative
 * @param vt k x n, orthonormal rows (V transposed)
 */
public record SvdResult(INDArray u, INDArray s, INDArray vt) {

    /** k = min(m, n), the number of singular triplets. */
    public long k() {
        return s.length();
    }
}
