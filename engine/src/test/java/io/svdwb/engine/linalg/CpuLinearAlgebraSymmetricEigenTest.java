package io.svdwb.engine.linalg;

/** The {@link LinearAlgebraSymmetricEigenContract} on the CPU backend. */
class CpuLinearAlgebraSymmetricEigenTest extends LinearAlgebraSymmetricEigenContract {

    @Override
    protected LinearAlgebra linearAlgebra() {
        return LinearAlgebra.cpu();
    }
}
