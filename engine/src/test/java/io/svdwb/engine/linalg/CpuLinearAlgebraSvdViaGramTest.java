package io.svdwb.engine.linalg;

/** The {@link LinearAlgebraSvdViaGramContract} on the CPU backend. */
class CpuLinearAlgebraSvdViaGramTest extends LinearAlgebraSvdViaGramContract {

    @Override
    protected LinearAlgebra linearAlgebra() {
        return LinearAlgebra.cpu();
    }
}
