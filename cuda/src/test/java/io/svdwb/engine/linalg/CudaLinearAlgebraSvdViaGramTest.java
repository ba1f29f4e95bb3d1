package io.svdwb.engine.linalg;

import io.svdwb.cuda.FakeCuda;

/** The {@link LinearAlgebraSvdViaGramContract} on the CUDA backend, over the fake CUDA libraries (no GPU needed). */
class CudaLinearAlgebraSvdViaGramTest extends LinearAlgebraSvdViaGramContract {

    @Override
    protected LinearAlgebra linearAlgebra() {
        return FakeCuda.backend();
    }
}
