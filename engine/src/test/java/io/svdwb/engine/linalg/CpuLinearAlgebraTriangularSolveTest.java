package io.svdwb.engine.linalg;

/** The {@link LinearAlgebraTriangularSolveContract} on the CPU backend. */
class CpuLinearAlgebraTriangularSolveTest extends LinearAlgebraTriangularSolveContract {

    @Override
    protected LinearAlgebra linearAlgebra() {
        return LinearAlgebra.cpu();
    }
}
