package io.svdwb.engine.linalg;

import io.svdwb.cuda.FakeCuda;

/** The {@link LinearAlgebraMatmulContract} on the CUDA backend, over the fake CUDA libraries (no GPU needed). */
class CudaLinearAlgebraMatmulTest extends LinearAlgebraMatmulContract {

    @Override
    protected LinearAlgebra linearAlgebra() {
        return FakeCuda.backend();
    }
}
