package io.svdwb.engine.linalg;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every heavy linear-algebra operation of the engine (matrix products, SVD, Cholesky, triangular
 * solves) goes through this interface, so that a GPU implementation can be added without touching
 * the model or the compression methods. ND4J's own SVD, Cholesky, triangular-solve and inverse ops
 * are 100-3000x slower or crash the JVM (see docs/ and shared/docs/stack.md); implementations call
 * LAPACK/BLAS directly instead.
 *
 * <p>Arrays are 2-D, FLOAT or DOUBLE, in either order; results are new arrays unless said otherwise.
 */
public interface LinearAlgebra {

    /** A short name for logs and benchmark reports, e.g. "cpu-openblas". */
    String name();

    /**
     * Returns {@code op(a) · op(b)}, where op transposes when the flag is set. Both operands must have
     * the same data type, which the result keeps.
     */
    INDArray matmul(INDArray a, boolean transposeA, INDArray b, boolean transposeB);
}
