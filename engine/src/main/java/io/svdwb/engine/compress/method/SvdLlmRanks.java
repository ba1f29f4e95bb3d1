package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.kernels.LossBasedRatios;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.model.ProjectionKind;
import io.svdwb.engine.progress.ProgressListener;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ranks SVD-LLM gives the selected matrices: the uniform k(rho) of §2.3, or SVD-LLM V2's loss-based ratios
 * (docs/METHODS.md §4.5, Algorithm 1): the matrices are grouped by type over all selected layers, each one's
 * theoretical loss at the uniform target is the tail of its whitened spectrum, and {@link LossBasedRatios} turns the
 * losses into ratios with the group's mean kept.
 */
final class SvdLlmRanks {

    private SvdLlmRanks() {
    }

    static Map<MatrixSpec, Integer> of(CompressionContext context, DecompositionRecipe recipe, List<MatrixSpec> selected, double ratio,
            SvdLlmRatios allocation, ResultAssembly result) {
        Map<MatrixSpec, Integer> ranks = new HashMap<>();
        // every rank from the factors' own budget: parameters, or bits with int8 factors (§2.6)
        result.ranksFromBitBudget();
        if (allocation == SvdLlmRatios.UNIFORM) {
            selected.forEach(m -> ranks.put(m, result.factorStorage().rank(m.rows(), m.cols(), ratio)));
            return ranks;
        }
        Map<ProjectionKind, List<MatrixSpec>> groups = new EnumMap<>(ProjectionKind.class);
        selected.forEach(m -> groups.computeIfAbsent(m.kind(), k -> new ArrayList<>()).add(m));
        StringBuilder spread = new StringBuilder();
        for (Map.Entry<ProjectionKind, List<MatrixSpec>> group : groups.entrySet()) {
            List<MatrixSpec> members = group.getValue();
            double[] losses = new double[members.size()];
            String[] labels = new String[members.size()];
            for (int i = 0; i < losses.length; i++) {
                MatrixSpec m = members.get(i);
                losses[i] = context.decomposition(recipe, m, ProgressListener.NONE)
                        .truncationLoss(RankFromRatio.rank(m.rows(), m.cols(), ratio));
                labels[i] = m.label();
            }
            double[] ratios = LossBasedRatios.ratios(losses, labels, ratio, LossBasedRatios.DEFAULT_MAX_RATIO);
            double min = 1;
            double max = 0;
            for (int i = 0; i < ratios.length; i++) {
                MatrixSpec m = members.get(i);
                ranks.put(m, result.factorStorage().rank(m.rows(), m.cols(), ratios[i]));
                min = Math.min(min, ratios[i]);
                max = Math.max(max, ratios[i]);
            }
            spread.append(String.format(Locale.ROOT, "%s%s %.3f-%.3f", spread.isEmpty() ? "" : ", ", group.getKey().shortName(), min, max));
        }
        result.detail("svd_llm.ratios", "loss-based (SVD-LLM V2, §4.5), per type: " + spread);
        return ranks;
    }
}
