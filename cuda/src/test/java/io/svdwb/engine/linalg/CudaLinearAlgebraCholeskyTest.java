package io.svdwb.engine.linalg;

import io.svdwb.cuda.FakeCuda;

/** The {@link LinearAlgebraCholeskyContract} on the CUDA backend, over the fake CUDA libraries (no GPU needed). */
class CudaLinearAlgebraCholeskyTest extends LinearAlgebraCholeskyContract {

    @Override
    protected LinearAlgebra linearAlgebra() {
        return FakeCuda.backend();
    }
}
