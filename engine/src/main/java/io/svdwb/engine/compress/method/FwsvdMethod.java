package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.kernels.FisherWeighting;
import java.util.List;

/** §4.2: Fisher-weighted SVD at uniform ranks. */
final class FwsvdMethod implements CompressionMethod {

    @Override
    public String name() {
        return "fwsvd";
    }

    @Override
    public String summary() {
        return "Fisher-weighted SVD, diagonal-Gram approximation of the Fisher weights (§4.2, see --help)";
    }

    @Override
    public String lossMetric() {
        return "‖(W − W′) D‖ with the diagonal Fisher weights D";
    }

    @Override
    public boolean needsCalibration() {
        return true;
    }

    @Override
    public List<MethodOption> options() {
        return List.of();
    }

    @Override
    public boolean takesGivenRanks() {
        return true;
    }

    @Override
    public RankedFactoring atGivenRanks(MethodRun run) {
        return RankedFactoring.truncation(run.context(), new DecompositionRecipe.FisherDiagonal(FisherWeighting.Orientation.INPUT_COLUMNS));
    }

    @Override
    public void apply(MethodRun run) {
        UniformRankMethod.apply(run, new DecompositionRecipe.FisherDiagonal(FisherWeighting.Orientation.INPUT_COLUMNS));
    }
}
