package io.svdwb.engine.linalg;

/** The {@link LinearAlgebraGramContract} on the CPU backend. */
class CpuLinearAlgebraGramTest extends LinearAlgebraGramContract {

    @Override
    protected LinearAlgebra linearAlgebra() {
        return LinearAlgebra.cpu();
    }
}
