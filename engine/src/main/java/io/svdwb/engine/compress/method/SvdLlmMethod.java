package io.svdwb.engine.compress.method;

import java.util.List;

/** §4.4 SVD-LLM (W): Cholesky whitening, truncation-aware, uniform ranks. */
final class SvdLlmMethod implements CompressionMethod {

    @Override
    public String name() {
        return "svd-llm";
    }

    @Override
    public String summary() {
        return "SVD-LLM (W): Cholesky whitening, truncation-aware (§4.4)";
    }

    @Override
    public String lossMetric() {
        return "‖W X − W′ X‖ on calibration tokens";
    }

    @Override
    public boolean needsCalibration() {
        return true;
    }

    @Override
    public List<MethodOption> options() {
        return List.of(SharedOptions.WHITENING);
    }

    @Override
    public boolean takesGivenRanks() {
        return true;
    }

    @Override
    public RankedFactoring atGivenRanks(MethodRun run) {
        return RankedFactoring.truncation(run.context(), new DecompositionRecipe.Whitened(SharedOptions.whitening(run.settings())));
    }

    @Override
    public void apply(MethodRun run) {
        UniformRankMethod.apply(run, new DecompositionRecipe.Whitened(SharedOptions.whitening(run.settings())));
    }
}
