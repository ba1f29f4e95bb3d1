package io.svdwb.engine.linalg;

import io.svdwb.cuda.FakeCuda;

/** The {@link LinearAlgebraSymmetricEigenContract} on the CUDA backend, over the fake CUDA libraries (no GPU needed). */
class CudaLinearAlgebraSymmetricEigenTest extends LinearAlgebraSymmetricEigenContract {

    @Override
    protected LinearAlgebra linearAlgebra() {
        return FakeCuda.backend();
    }
}
