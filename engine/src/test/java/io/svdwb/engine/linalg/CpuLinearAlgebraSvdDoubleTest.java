package io.svdwb.engine.linalg;

import org.nd4j.linalg.api.buffer.DataType;

class CpuLinearAlgebraSvdDoubleTest extends LinearAlgebraSvdContract {

    @Override
    protected LinearAlgebra linearAlgebra() {
        return LinearAlgebra.cpu();
    }

    @Override
    protected DataType type() {
        return DataType.DOUBLE;
    }
}
