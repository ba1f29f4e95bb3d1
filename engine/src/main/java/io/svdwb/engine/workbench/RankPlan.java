package io.svdwb.engine.workbench;

import io.svdwb.engine.compress.Selection;
import io.svdwb.engine.compress.kernels.RankFromRatio;
import io.svdwb.engine.compress.kernels.RealisedRatio;
import io.svdwb.engine.model.MatrixSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The uniform ranks {@code k(c)} of docs/METHODS.md §2.3 for the selected compressible matrices at one ratio, and
 * what they keep. Only integer arithmetic over the footprint (no SVD), so the workbench recomputes it on every
 * slider move. Methods that allocate ranks unevenly (ASVD's search, ResSVD, Duo-SVD) report their own ranks in
 * their compression result; this plan is the uniform cut they start from. As in a {@link
 * io.svdwb.engine.compress.method.CompressionRequest}, the ratio applies to the selected matrices; the others
 * stay dense.
 *
 * @param ratio    the target compression ratio c (fraction removed)
 * @param ranks    rank per selected matrix, in the footprint's order
 * @param dense    the compressible matrices outside the selection, kept as they are
 * @param realised P_orig and P_kept over the selected matrices (the engine's {@code CompressionResult.selected()}),
 *                 and the model's parameter count
 * @param factoredBytes the weight bytes of a factored checkpoint at these ranks: every stored tensor that is not
 *                      a selected weight (a tied lm_head too, if the file stores it) in its stored dtype, plus the
 *                      factors in float32 (4 bytes each, as the exporter writes them)
 */
public record RankPlan(double ratio, Map<MatrixSpec, Integer> ranks, List<MatrixSpec> dense, RealisedRatio realised,
                       long factoredBytes) {

    /** Bytes per stored factor entry: the exporter writes factors as float32. */
    public static final int FACTOR_BYTES = 4;

    public RankPlan {
        ranks = Collections.unmodifiableMap(new LinkedHashMap<>(ranks));
        dense = List.copyOf(dense);
    }

    /** The plan for ratio c over every compressible matrix: {@code k = floor((1-c) m n / (m + n))} (clamped to [1, min(m, n)]). */
    public static RankPlan uniform(ModelFootprint footprint, double ratio) {
        return uniform(footprint, ratio, null);
    }

    /**
     * The plan for ratio c over the matrices {@code selection} includes (null: all of them); the others stay
     * dense. Throws IllegalArgumentException, as the compressor does, when the selection holds no matrix.
     */
    public static RankPlan uniform(ModelFootprint footprint, double ratio, Selection selection) {
        RankFromRatio.keptRatio(ratio);
        Map<MatrixSpec, Integer> ranks = new LinkedHashMap<>();
        List<MatrixSpec> dense = new ArrayList<>();
        List<RealisedRatio.Entry> entries = new ArrayList<>(footprint.matrices().size());
        long denseBytes = 0;
        for (MatrixSpec m : footprint.matrices()) {
            if (selection != null && !selection.includes(m)) {
                dense.add(m);
                denseBytes = Math.addExact(denseBytes, footprint.weightBytes().get(m));
                continue;
            }
            int k = RankFromRatio.rank(m.rows(), m.cols(), ratio);
            ranks.put(m, k);
            entries.add(RealisedRatio.Entry.lowRank(m.rows(), m.cols(), k));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("the selection (" + selection.describe() + ") contains no matrix");
        }
        RealisedRatio realised = RealisedRatio.of(entries, footprint.totalParameters());
        long factored = Math.addExact(Math.addExact(footprint.untouchedBytes(), denseBytes),
                Math.multiplyExact(realised.keptParameters(), FACTOR_BYTES));
        return new RankPlan(ratio, ranks, dense, realised, factored);
    }

    /** Whether {@code matrix} is cut to a rank (true) or left dense because it is not selected (false). */
    public boolean compresses(MatrixSpec matrix) {
        return ranks.containsKey(matrix);
    }

    /** The rank of {@code matrix}; it must be one of the selected matrices. */
    public int rankOf(MatrixSpec matrix) {
        Integer k = ranks.get(matrix);
        if (k == null) {
            throw new IllegalArgumentException(matrix.label() + (dense.contains(matrix) ? " is not selected: it stays dense"
                    : " is not a compressible matrix of this model"));
        }
        return k;
    }

    /** Numbers {@code matrix} stores: {@code k (m + n)} for a rank-k pair (§2.4), {@code m n} when it stays dense. */
    public long storedOf(MatrixSpec matrix) {
        if (dense.contains(matrix)) {
            return RankFromRatio.dense(matrix.rows(), matrix.cols());
        }
        return RankFromRatio.stored(matrix.rows(), matrix.cols(), rankOf(matrix));
    }

    /** {@code P_kept}: what the selected matrices keep. */
    public long keptParameters() {
        return realised.keptParameters();
    }

    /** Every parameter of the compressed model: the unselected and untouched ones plus {@code P_kept}. */
    public long keptModelParameters() {
        return realised.modelParameters() - realised.originalParameters() + realised.keptParameters();
    }

    /** What the compressible matrices of one decoder layer keep (those left dense count in full). */
    public long keptParametersOfLayer(int layer) {
        long sum = 0;
        for (MatrixSpec m : ranks.keySet()) {
            if (m.layer() == layer) {
                sum += storedOf(m);
            }
        }
        for (MatrixSpec m : dense) {
            if (m.layer() == layer) {
                sum += m.parameters();
            }
        }
        return sum;
    }
}
