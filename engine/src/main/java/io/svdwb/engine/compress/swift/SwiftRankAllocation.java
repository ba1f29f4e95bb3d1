package io.svdwb.engine.compress.swift;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Swift-SVD's dynamic rank allocation (docs/METHODS.md §4.10; hiahei/Swift-SVD {@code dynamic_rank_allocation.py}).
 * Within each group of same-type matrices (all q_proj, all k_proj, ...) the uniform ranks' sum is the budget; every
 * matrix first gets a base rank {@code floor(0.25 rho f)} (f = its output dimension) and the rest of the group's
 * budget is shared in proportion to {@code score = I^alpha · log(1 + eps)^(1 - alpha)}, with I the layer importance
 * min-max normalised to [1, 2] and eps = ||W X||_F; the integer remainder goes one rank at a time to the best scores.
 *
 * <p>Departures [OURS], each so that the budget can never be exceeded: the base rank is capped at the matrix's uniform
 * rank (the repository keeps an over-budget base when {@code 0.25 rho f} exceeds it, possible for an MLP wider than
 * 3x the hidden size) and floored at 1; ranks are capped at min(m, n) (the repository caps at m, but components past
 * min(m, n) have zero eigenvalues).
 */
public final class SwiftRankAllocation {

    /** The repository's base share: "the 0.25 factor absorbs the division by 2 in compression-ratio scaling". */
    static final double BASE_SHARE = 0.25;

    private SwiftRankAllocation() {
    }

    /**
     * One matrix to allocate for.
     *
     * @param group       matrices of one group share one budget (the projection type); all must have one shape
     * @param layer       its decoder layer, to look its importance up
     * @param rows        m, the output dimension (the repository's f_r, the size of the output covariance)
     * @param cols        n
     * @param uniformRank its k(rho) (§2.3): the group budget is the sum of these
     * @param outputNorm  eps = ||W X||_F over the calibration tokens (sqrt of the sum of all eigenvalues)
     */
    public record Matrix(String group, int layer, int rows, int cols, int uniformRank, double outputNorm) {
        public Matrix {
            if (rows < 1 || cols < 1 || uniformRank < 1 || uniformRank > Math.min(rows, cols)) {
                throw new IllegalArgumentException("matrix " + group + " layer " + layer + ": shape " + rows + " x " + cols
                        + " with uniform rank " + uniformRank + " (must be in [1, min(m, n)])");
            }
            if (!(outputNorm >= 0) || !Double.isFinite(outputNorm)) {
                throw new IllegalArgumentException("matrix " + group + " layer " + layer + ": output norm must be finite and >= 0, got "
                        + outputNorm);
            }
        }
    }

    /**
     * The ranks, in the order of {@code matrices}.
     *
     * @param importance the raw layer importance (Block Influence) of every layer the matrices name
     * @param keptRatio  rho = 1 - c, in (0, 1)
     * @param alpha      the importance exponent, in [0, 1]
     */
    public static int[] allocate(List<Matrix> matrices, Map<Integer, Double> importance, double keptRatio, double alpha) {
        if (!(keptRatio > 0 && keptRatio < 1)) {
            throw new IllegalArgumentException("kept ratio must be in (0, 1), got " + keptRatio);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        Map<Integer, Double> normalised = normalisedImportance(matrices, importance);
        int[] ranks = new int[matrices.size()];
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < matrices.size(); i++) {
            groups.computeIfAbsent(matrices.get(i).group(), g -> new ArrayList<>()).add(i);
        }
        for (List<Integer> members : groups.values()) {
            allocateGroup(matrices, members, normalised, keptRatio, alpha, ranks);
        }
        return ranks;
    }

    /** The repository's score of one matrix: I^alpha · log(1 + eps)^(1 - alpha). */
    public static double score(double normalisedImportance, double outputNorm, double alpha) {
        return Math.pow(normalisedImportance, alpha) * Math.pow(Math.log1p(outputNorm), 1 - alpha);
    }

    /** {@code (I - min) / (max - min + 1e-6) + 1} over the layers present (the repository's constant). */
    static Map<Integer, Double> normalisedImportance(List<Matrix> matrices, Map<Integer, Double> importance) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Matrix m : matrices) {
            Double value = importance.get(m.layer());
            if (value == null || !Double.isFinite(value)) {
                throw new IllegalArgumentException("no finite importance for layer " + m.layer() + " (got " + value + ")");
            }
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        Map<Integer, Double> out = new LinkedHashMap<>();
        for (Matrix m : matrices) {
            out.put(m.layer(), (importance.get(m.layer()) - min) / (max - min + 1e-6) + 1.0);
        }
        return out;
    }

    private static void allocateGroup(List<Matrix> matrices, List<Integer> members, Map<Integer, Double> importance,
            double keptRatio, double alpha, int[] ranks) {
        Matrix first = matrices.get(members.get(0));
        long budget = 0;
        long base = 0;
        double[] scores = new double[matrices.size()];
        double total = 0;
        for (int i : members) {
            Matrix m = matrices.get(i);
            if (m.rows() != first.rows() || m.cols() != first.cols()) {
                throw new IllegalArgumentException("group " + m.group() + " mixes shapes " + first.rows() + " x " + first.cols()
                        + " and " + m.rows() + " x " + m.cols() + "; one budget in ranks needs one shape");
            }
            budget += m.uniformRank();
            ranks[i] = Math.max(1, Math.min((int) Math.floor(m.rows() * BASE_SHARE * keptRatio), m.uniformRank()));
            base += ranks[i];
            scores[i] = score(importance.get(m.layer()), m.outputNorm(), alpha);
            total += scores[i];
        }
        long remaining = budget - base;
        if (remaining <= 0 || !(total > 0)) {
            return;
        }
        long assigned = 0;
        for (int i : members) {
            Matrix m = matrices.get(i);
            long extra = (long) Math.floor(remaining * (scores[i] / total));
            int add = (int) Math.min(extra, Math.min(m.rows(), m.cols()) - ranks[i]);
            ranks[i] += add;
            assigned += add;
        }
        long leftover = remaining - assigned;
        List<Integer> byScore = new ArrayList<>(members);
        byScore.sort(Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        for (int i : byScore) {
            if (leftover <= 0) {
                break;
            }
            Matrix m = matrices.get(i);
            if (ranks[i] < Math.min(m.rows(), m.cols())) {
                ranks[i]++;
                leftover--;
            }
        }
    }
}
