package io.svdwb.engine.linalg;

import org.nd4j.linalg.api.buffer.DataType;

class CpuLinearAlgebraSvdFloatTest extends LinearAlgebraSvdContract {

    @Override
    protected LinearAlgebra linearAlgebra() {
        return LinearAlgebra.cpu();
    }

    @Override
    protected DataType type() {
        return DataType.FLOAT;
    }
}
