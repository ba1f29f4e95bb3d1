package io.svdwb.engine.compress.search;

import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.List;
import java.util.Map;

/**
 * Step 1 of ASVD's rank search (docs/METHODS.md §4.3): for every matrix j and candidate p, the calibration
 * perplexity with only matrix j replaced at kept ratio p and everything else dense. One probe per entry;
 * probes of late layers are cheap because the probe starts from its cached layer inputs.
 */
public final class AsvdSensitivity {

    private AsvdSensitivity() {
    }

    /**
     * @param candidates kept ratios, ascending, each below 1 (e.g. {@link AsvdRankSearch#DEFAULT_CANDIDATES})
     * @return ppl(j, p) with the parameters each built replacement stores
     */
    public static SensitivityTable measure(CalibrationProbe probe, List<MatrixSpec> matrices, double[] candidates,
                                           ReplacementFactory factory, ProgressListener progress) {
        for (int i = 0; i < candidates.length; i++) {
            if (!(candidates[i] > 0 && candidates[i] < 1) || i > 0 && candidates[i] <= candidates[i - 1]) {
                throw new IllegalArgumentException("ASVD candidates must be ascending in (0, 1), got "
                        + java.util.Arrays.toString(candidates));
            }
        }
        probe.setBase(Map.of());
        double[][] ppl = new double[matrices.size()][candidates.length];
        long[][] stored = new long[matrices.size()][candidates.length];
        long total = (long) matrices.size() * candidates.length;
        progress.begin("ASVD sensitivity: " + matrices.size() + " matrices x " + candidates.length + " ratios", total);
        long done = 0;
        for (int j = 0; j < matrices.size(); j++) {
            MatrixSpec m = matrices.get(j);
            for (int i = 0; i < candidates.length; i++) {
                progress.throwIfCancelled();
                Linear replacement = factory.replacement(m, candidates[i]);
                stored[j][i] = replacement.storedWeightParameters();
                ppl[j][i] = Math.exp(probe.meanNll(Map.of(m.kind().moduleName(m.layer()), replacement)));
                progress.advanceTo(++done);
            }
        }
        progress.end();
        return new SensitivityTable(matrices, candidates, ppl, stored);
    }
}
