package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.gradients.GradientPassSettings;
import java.util.List;

/** §4.2: Fisher-weighted SVD at uniform ranks, the Fisher sums from a gradient pass (or the diagonal-Gram approximation). */
final class FwsvdMethod implements CompressionMethod {

    @Override
    public String name() {
        return "fwsvd";
    }

    @Override
    public String summary() {
        return "Fisher-weighted SVD: weights from squared cross-entropy gradients (§4.2, --fwsvd-fisher)";
    }

    @Override
    public String lossMetric() {
        return "‖(W − W′) D‖ with the Fisher weights D";
    }

    @Override
    public boolean needsCalibration() {
        return true;
    }

    @Override
    public List<MethodOption> options() {
        return GradientSettings.FWSVD_OPTIONS;
    }

    @Override
    public void validate(MethodSettings settings) {
        GradientSettings.of(settings);
    }

    @Override
    public String describe(MethodSettings settings) {
        GradientSettings g = GradientSettings.of(settings);
        return g.fwsvdFisher().cliName() + " Fisher, " + settings.choice(GradientSettings.FWSVD_ORIENTATION) + " weights";
    }

    @Override
    public boolean takesGivenRanks() {
        return true;
    }

    @Override
    public RankedFactoring atGivenRanks(MethodRun run) {
        return RankedFactoring.truncation(run.context(), recipe(run));
    }

    @Override
    public void apply(MethodRun run) {
        UniformRankMethod.apply(run, recipe(run));
    }

    /** Exact Fisher sums from the gradient pass (its window length resolved here, as it names the pass), or H's diagonal. */
    private static DecompositionRecipe recipe(MethodRun run) {
        GradientSettings settings = GradientSettings.of(run.settings());
        if (settings.fwsvdFisher() == GradientSettings.FisherSource.DIAGONAL_GRAM) {
            return new DecompositionRecipe.FisherDiagonal(settings.fwsvdOrientation());
        }
        GradientPassSettings pass = settings.pass();
        return new DecompositionRecipe.FisherExact(settings.fwsvdOrientation(), new GradientPassSettings(pass.batches(),
                pass.windowsPerBatch(), pass.resolvedLength(run.context().calibrationLength()), pass.seed()));
    }
}
