package io.svdwb.engine.linalg;

/** The {@link LinearAlgebraMatmulContract} on the CPU backend. */
class CpuLinearAlgebraMatmulTest extends LinearAlgebraMatmulContract {

    @Override
    protected LinearAlgebra linearAlgebra() {
        return LinearAlgebra.cpu();
    }
}
