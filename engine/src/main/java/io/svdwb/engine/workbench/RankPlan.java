package io.svdwb.engine.workbench;

import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.compress.kernels.RealisedRatio;
import io.svdwb.engine.model.MatrixSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The uniform ranks {@code k(c)} of methods.md §2.3 for every compressible matrix at one ratio, and what they
 * keep. Only integer arithmetic over the footprint (no SVD), so the workbench recomputes it on every slider
 * move. Methods that allocate ranks unevenly (ASVD's search, ResSVD, Duo-SVD) report their own ranks in their
 * compression result; this plan is the uniform cut they start from.
 *
 * @param ratio    the target compression ratio c (fraction removed)
 * @param ranks    rank per matrix, in the footprint's order
 * @param realised P_orig and P_kept over the compressible matrices, and the model's parameter count
 * @param factoredBytes the weight bytes of a factored checkpoint at these ranks: every stored tensor that is not a
 *                      compressible weight (a tied lm_head too, if the file stores it) in its stored
 *                      dtype, plus the factors in float32 (4 bytes each, as the exporter writes them)
 */
public record RankPlan(double ratio, Map<MatrixSpec, Integer> ranks, RealisedRatio realised, long factoredBytes) {

    /** Bytes per stored factor entry: the exporter writes factors as float32. */
    public static final int FACTOR_BYTES = 4;

    public RankPlan {
        ranks = Collections.unmodifiableMap(new LinkedHashMap<>(ranks));
    }

    /** The plan for ratio c: {@code k = floor((1-c) m n / (m + n))} per matrix (clamped to [1, min(m, n)]). */
    public static RankPlan uniform(ModelFootprint footprint, double ratio) {
        Map<MatrixSpec, Integer> ranks = new LinkedHashMap<>();
        List<RealisedRatio.Entry> entries = new ArrayList<>(footprint.matrices().size());
        for (MatrixSpec m : footprint.matrices()) {
            int k = RankFromRatio.rank(m.rows(), m.cols(), ratio);
            ranks.put(m, k);
            entries.add(RealisedRatio.Entry.lowRank(m.rows(), m.cols(), k));
        }
        RealisedRatio realised = RealisedRatio.of(entries, footprint.totalParameters());
        long factored = Math.addExact(footprint.untouchedBytes(), Math.multiplyExact(realised.keptParameters(), FACTOR_BYTES));
        return new RankPlan(ratio, ranks, realised, factored);
    }

    /** The rank of {@code matrix}; it must be one of the footprint's matrices. */
    public int rankOf(MatrixSpec matrix) {
        Integer k = ranks.get(matrix);
        if (k == null) {
            throw new IllegalArgumentException(matrix.label() + " is not a compressible matrix of this model");
        }
        return k;
    }

    /** Numbers the rank-k pair of {@code matrix} stores: {@code k (m + n)} (§2.4). */
    public long storedOf(MatrixSpec matrix) {
        return RankFromRatio.stored(matrix.rows(), matrix.cols(), rankOf(matrix));
    }

    /** {@code P_kept}: what the compressible matrices keep. */
    public long keptParameters() {
        return realised.keptParameters();
    }

    /** Every parameter of the compressed model: the untouched ones plus {@code P_kept}. */
    public long keptModelParameters() {
        return realised.modelParameters() - realised.originalParameters() + realised.keptParameters();
    }

    /** What the compressible matrices of one decoder layer keep. */
    public long keptParametersOfLayer(int layer) {
        long sum = 0;
        for (MatrixSpec m : ranks.keySet()) {
            if (m.layer() == layer) {
                sum += storedOf(m);
            }
        }
        return sum;
    }
}
