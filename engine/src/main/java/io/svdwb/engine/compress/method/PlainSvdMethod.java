package io.svdwb.engine.compress.method;

import java.util.List;

/** §4.1: truncated SVD of W itself, uniform ranks; no calibration and no options. */
final class PlainSvdMethod implements CompressionMethod {

    @Override
    public String name() {
        return "svd";
    }

    @Override
    public String summary() {
        return "plain truncated SVD of W (§4.1)";
    }

    @Override
    public String lossMetric() {
        return "‖W − W′‖ (plain weight error)";
    }

    @Override
    public boolean needsCalibration() {
        return false;
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
        return RankedFactoring.truncation(run.context(), new DecompositionRecipe.Plain());
    }

    @Override
    public void apply(MethodRun run) {
        UniformRankMethod.apply(run, new DecompositionRecipe.Plain());
    }
}
