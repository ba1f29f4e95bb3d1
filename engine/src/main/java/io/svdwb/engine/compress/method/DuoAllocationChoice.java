package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.compress.search.CalibrationProbe;
import io.svdwb.engine.compress.search.DuoSvdAllocation;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Duo-SVD's module allocation (§4.6 steps 2-3): the KL increase of each module at each candidate ratio over a
 * base of every selected module at SVD-LLM rank k(rho0), then the knapsack at or below the budget. Measured
 * once per context, selection and ratio.
 */
final class DuoAllocationChoice {

    private DuoAllocationChoice() {
    }

    static Map<String, Double> keptRatios(CompressionContext context, CompressionRequest request, List<MatrixSpec> selected,
            ResultAssembly result, ProgressListener progress) {
        double rho0 = RankFromRatio.keptRatio(request.ratio());
        DecompositionRecipe whitened = new DecompositionRecipe.Whitened(SharedOptions.whitening(request.settings()));
        CalibrationProbe probe = Probes.probe(context, SharedOptions.probe(request.settings()), CalibrationProbe.Measures.NLL_AND_KL, progress);
        String key = "duo allocation " + whitened.key() + " rho0 " + rho0 + " " + probe + " " + selected;
        DuoSvdAllocation.Result allocation = context.memo(key,
                () -> Probes.exclusively(probe, progress, () -> DuoSvdAllocation.run(probe, selected, rho0, Probes.truncations(context, whitened), progress)));
        long dense = java.util.Arrays.stream(allocation.keptRatios()).filter(p -> p >= 1.0).count();
        result.detail("duo.kl", String.format(Locale.ROOT, "base KL %.4g per window; predicted increase %.4g; %d modules kept dense",
                allocation.sensitivity().baseKl(), allocation.predictedKlIncrease(), dense));
        return allocation.byModule();
    }
}
