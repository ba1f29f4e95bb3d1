package io.svdwb.engine.linalg;

/**
 * Cholesky (potrf) found a leading minor that is not positive: the matrix is indefinite, or
 * positive semi-definite and singular, or made so by rounding. The caller is expected to apply a
 * fallback (a ridge or damping, see docs/METHODS.md §3.3) and to report {@link #leadingMinorOrder()}.
 *
 * <p>Unchecked so that it passes through lambdas and the GPU implementation's interface unchanged;
 * {@link LinearAlgebra#cholesky} documents it.
 */
public class NotPositiveDefiniteException extends LinearAlgebraException {

    private final int leadingMinorOrder;
    private final long matrixOrder;

    public NotPositiveDefiniteException(String routine, int leadingMinorOrder, long matrixOrder) {
        super(routine, leadingMinorOrder, "the matrix is not positive definite: its leading minor of order "
                + leadingMinorOrder + " (of " + matrixOrder + ") is not positive");
        this.leadingMinorOrder = leadingMinorOrder;
        this.matrixOrder = matrixOrder;
    }

    /** 1-based order of the first leading principal minor that is not positive (LAPACK's info). */
    public int leadingMinorOrder() {
        return leadingMinorOrder;
    }

    /** Order n of the n x n matrix that was factorised. */
    public long matrixOrder() {
        return matrixOrder;
    }
}
