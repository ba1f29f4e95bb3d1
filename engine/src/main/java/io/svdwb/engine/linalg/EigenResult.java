package io.svdwb.engine.linalg;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Eigendecomposition {@code A = V diag(values) Vᵀ} of a symmetric n x n matrix.
 *
 * @param values  n eigenvalues in DESCENDING order (LAPACK's ascending order is reversed)
 * @param vectors n x n, orthonormal; column j is the eigenvector of {@code values[j]}
 */
public record EigenResult(INDArray values, INDArray vectors) {
}
