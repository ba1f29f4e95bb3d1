package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.search.AsvdRankSearch;
import io.svdwb.engine.compress.search.AsvdSensitivity;
import io.svdwb.engine.compress.search.CalibrationProbe;
import io.svdwb.engine.compress.search.SensitivityTable;
import io.svdwb.engine.compress.search.StoredParameters;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ASVD's sensitivity-based ranks (§4.3): the calibration perplexity of each matrix alone at each candidate
 * ratio (measured once per context and selection, whatever the target), then the threshold allocation.
 * Candidates 0.4..0.9 as the reference; 0.1..0.9 when the target removes more than 40 % [OURS], since
 * 0.4..0.9 cannot reach it.
 */
final class AsvdRankChoice {

    private AsvdRankChoice() {
    }

    static void apply(CompressionContext context, DecompositionRecipe recipe, CompressionRequest request, List<MatrixSpec> selected,
            ResultAssembly result, ProgressListener progress) {
        double[] candidates = request.ratio() > 0.4 ? AsvdRankSearch.HIGH_RATIO_CANDIDATES : AsvdRankSearch.DEFAULT_CANDIDATES;
        CalibrationProbe probe = Probes.probe(context, SharedOptions.probe(request.settings()), CalibrationProbe.Measures.NLL_ONLY, progress);
        String key = "asvd table " + recipe.key() + " " + Arrays.toString(candidates) + " " + probe + " " + selected;
        SensitivityTable table = context.memo(key,
                () -> Probes.exclusively(probe, progress, () -> AsvdSensitivity.measure(probe, selected, candidates, Probes.truncations(context, recipe), progress)));
        AsvdRankSearch.Result allocation = AsvdRankSearch.allocate(table, 1 - request.ratio(), AsvdRankSearch.DEFAULT_TOLERANCE,
                AsvdRankSearch.Counting.STORED);
        Map<String, Double> kept = allocation.byModule();
        result.detail("asvd.ranks", String.format(Locale.ROOT, "sensitivity search over %s on %d probe windows",
                Arrays.toString(candidates), probe.windowCount()));
        progress.begin("ASVD: factors at the searched ranks", selected.size());
        try {
            for (int i = 0; i < selected.size(); i++) {
                MatrixSpec matrix = selected.get(i);
                double p = kept.get(matrix.kind().moduleName(matrix.layer()));
                if (p >= 1.0) {
                    result.dense(matrix);
                } else {
                    LowRankDecomposition d = context.decomposition(recipe, matrix, ProgressListener.NONE);
                    int k = StoredParameters.rank(matrix, p);
                    result.lowRank(matrix, d, k);
                }
                progress.advanceTo(i + 1);
            }
        } finally {
            progress.end();
        }
    }
}
