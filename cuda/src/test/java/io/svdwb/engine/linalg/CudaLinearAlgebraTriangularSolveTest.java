package io.svdwb.engine.linalg;

import io.svdwb.cuda.FakeCuda;

/** The {@link LinearAlgebraTriangularSolveContract} on the CUDA backend, over the fake CUDA libraries (no GPU needed). */
class CudaLinearAlgebraTriangularSolveTest extends LinearAlgebraTriangularSolveContract {

    @Override
    protected LinearAlgebra linearAlgebra() {
        return FakeCuda.backend();
    }
}
