package io.svdwb.engine.linalg;

/** The {@link LinearAlgebraCholeskyContract} on the CPU backend. */
class CpuLinearAlgebraCholeskyTest extends LinearAlgebraCholeskyContract {

    @Override
    protected LinearAlgebra linearAlgebra() {
        return LinearAlgebra.cpu();
    }
}
