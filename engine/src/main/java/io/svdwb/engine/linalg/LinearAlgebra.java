package io.svdwb.engine.linalg;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every heavy linear-algebra operation of the engine (matrix products, SVD, Cholesky, triangular
 * solves) goes through this interface, so that a GPU implementation can be added without touching
 * the model or the compression methods. ND4J's own SVD, Cholesky, triangular-solve and inverse ops
 * are 100-3000x slower or crash the JVM (see docs/ and docs/STACK.md); implementations call
 * LAPACK/BLAS directly instead.
 *
 * <p>Arrays are 2-D, FLOAT or DOUBLE, in either order, and may be views; inputs are never modified.
 * Results are new arrays in the input's data type; their order ('c' or 'f') is unspecified. An
 * argument of another rank or type, mismatched shapes or types, or (where said) a NaN/infinite entry
 * give an {@link IllegalArgumentException}; a failure inside LAPACK gives a
 * {@link LinearAlgebraException}. Implementations are stateless and thread-safe.
 */
public interface LinearAlgebra {

    /** The CPU implementation (OpenBLAS's CBLAS/LAPACKE); a shared, stateless instance. */
    static LinearAlgebra cpu() {
        return CpuLinearAlgebra.INSTANCE;
    }

    /** A short name for logs and benchmark reports, e.g. "cpu-openblas". */
    String name();

    /**
     * Returns {@code op(a) · op(b)}, where op transposes when the flag is set. Both operands must have
     * the same data type, which the result keeps. Empty inner dimensions give a zero matrix.
     */
    INDArray matmul(INDArray a, boolean transposeA, INDArray b, boolean transposeB);

    /**
     * {@code a L} for a square {@code L} whose strict upper triangle is zero (a Cholesky factor), in a's type. Only L's
     * lower triangle needs to be read. This default is the full product; a backend with a triangular product (BLAS
     * trmm) does half the multiply-adds.
     */
    default INDArray multiplyLowerTriangular(INDArray a, INDArray lower) {
        DenseMatrices.requireLowerTriangularProduct(a, lower);
        return matmul(a, false, lower, false);
    }

    /**
     * Thin SVD (divide and conquer): {@code a = u · diag(s) · vt} with k = min(m, n), s descending and
     * non-negative. Rejects NaN/infinite entries and empty matrices.
     *
     * @throws LinearAlgebraException if the SVD did not converge
     */
    SvdResult svd(INDArray a);

    /**
     * The same thin SVD as {@link #svd} for a DOUBLE matrix, computed from the Gram matrix of its shorter side with a
     * symmetric eigensolver: 2-4x faster at LLaMA-7B widths, as accurate for every component above about a thousandth
     * of the largest singular value, and for smaller ones a valid (exact {@code A V_k V_kᵀ} projections) but not
     * necessarily optimal basis. U's columns of exactly zero singular values are zero. See {@code GramSvd}.
     *
     * @throws IllegalArgumentException for a FLOAT matrix (the Gram squares the condition number)
     * @throws LinearAlgebraException if the eigensolver did not converge
     */
    SvdResult svdViaGram(INDArray a);

    /**
     * The singular values of {@code a}, descending (a 1-D array of length min(m, n)), without computing
     * the singular vectors; much cheaper than {@link #svd}, for spectrum displays. Equal to
     * {@code svd(a).s()} up to rounding (a different LAPACK path computes them).
     */
    INDArray singularValues(INDArray a);

    /**
     * Lower-triangular {@code L} with {@code L Lᵀ = spd} and a positive diagonal; its strict upper
     * triangle is zero. Only the lower triangle of {@code spd} is read, so the caller decides how an
     * almost-symmetric matrix is symmetrised. Rejects NaN/infinite entries.
     *
     * @throws NotPositiveDefiniteException with the order of the first non-positive leading minor, so
     *         the caller can add a ridge and retry (docs/METHODS.md §3.3)
     */
    INDArray cholesky(INDArray spd);

    /**
     * As {@link #cholesky}, in place: {@code spd}, a dense (not a view) array the caller owns, becomes L and is
     * returned; no copy of it is made (0.97 GB in double at a LLaMA-7B MLP width). Its contents are undefined after a
     * {@link NotPositiveDefiniteException}.
     */
    INDArray choleskyInPlace(INDArray spd);

    /**
     * Solves a triangular system without forming an inverse: {@code op(t) · X = b} if
     * {@code leftSide}, else {@code X · op(t) = b}, where op transposes if {@code transpose}. Only the
     * triangle of {@code t} named by {@code lower} is read. Returns X, shaped like b.
     *
     * @throws IllegalArgumentException also if a diagonal element of t is exactly zero
     */
    INDArray solveTriangular(INDArray triangular, boolean lower, boolean transpose, INDArray b, boolean leftSide);

    /**
     * Eigendecomposition of a symmetric matrix (divide and conquer): eigenvalues DESCENDING, vectors
     * permuted to match. Only the lower triangle of {@code sym} is read. Rejects NaN/infinite entries.
     *
     * @throws LinearAlgebraException if the eigensolver did not converge
     */
    EigenResult symmetricEigen(INDArray sym);

    /**
     * The Gram matrix {@code x · xᵀ} (m x m for an m x n x) in x's data type, exactly (bitwise)
     * symmetric: one triangle is computed and mirrored, unlike a float gemm.
     */
    INDArray gram(INDArray x);

    /**
     * Adds {@code x · xᵀ} (m x m for an m x n x) to the LOWER triangle of {@code accumulator}, a dense row-major ('c')
     * m x m array of x's data type, in place; its strict upper triangle is not touched. A Gram matrix summed over many
     * blocks so costs one m x m array in all instead of a new one per block (a LLaMA-7B MLP input's is 0.97 GB in
     * double); {@link #mirrorLowerToUpper} makes it symmetric once the sum is complete.
     */
    void addGramLower(INDArray x, INDArray accumulator);

    /**
     * {@code matrix} kept where this backend computes, for many products ({@link #matmul(INDArray, boolean,
     * ResidentMatrix, boolean)}); the CPU uses the array itself, a GPU uploads it once. {@code matrix} must not change
     * while the result is in use; close the result when done (it never frees {@code matrix}).
     */
    default ResidentMatrix resident(INDArray matrix) {
        DenseMatrices.requireMatrix(matrix, "resident matrix");
        return new HostMatrix(matrix);
    }

    /** As {@link #matmul(INDArray, boolean, INDArray, boolean)} with {@code b} made resident by this backend. */
    default INDArray matmul(INDArray a, boolean transposeA, ResidentMatrix b, boolean transposeB) {
        if (!(b instanceof HostMatrix host)) {
            throw new IllegalArgumentException(name() + " cannot read a matrix resident on another backend (" + b.location() + ")");
        }
        return matmul(a, transposeA, host.array(), transposeB);
    }

    /** Host-device copies so far, in words (e.g. for a run's report), or null for a backend that makes none. */
    default String transferReport() {
        return null;
    }

    /** Copies the lower triangle of a dense row-major square array onto its upper one, in place: exactly symmetric. */
    static void mirrorLowerToUpper(INDArray rowMajorSquare) {
        CpuBlas.mirrorLowerToUpper(rowMajorSquare);
    }

    /**
     * (A + Aᵀ) / 2 of a square DOUBLE array, as a new dense row-major array: each element is (a_ij + a_ji) · 0.5, so an
     * exactly symmetric A comes back bit for bit. Tile by tile on all cores (ND4J's add of a transposed view walks
     * one operand across cache lines: seconds for an 11008² Gram).
     */
    static INDArray symmetricPart(INDArray square) {
        return CpuBlas.symmetricPart(square);
    }
}
