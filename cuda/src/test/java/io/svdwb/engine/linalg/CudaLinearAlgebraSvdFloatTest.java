package io.svdwb.engine.linalg;

import io.svdwb.cuda.FakeCuda;
import org.nd4j.linalg.api.buffer.DataType;

/** The {@link LinearAlgebraSvdContract} on the CUDA backend in float, over the fake CUDA libraries. */
class CudaLinearAlgebraSvdFloatTest extends LinearAlgebraSvdContract {

    @Override
    protected LinearAlgebra linearAlgebra() {
        return FakeCuda.backend();
    }

    @Override
    protected DataType type() {
        return DataType.FLOAT;
    }
}
