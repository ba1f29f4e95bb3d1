package io.svdwb.engine.linalg;

/** The {@link LinearAlgebraTriangularProductContract} on the CPU backend (BLAS trmm). */
class CpuLinearAlgebraTriangularProductTest extends LinearAlgebraTriangularProductContract {

    @Override
    protected LinearAlgebra linearAlgebra() {
        return LinearAlgebra.cpu();
    }
}
