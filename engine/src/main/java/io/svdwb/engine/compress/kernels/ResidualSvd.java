package io.svdwb.engine.compress.kernels;

import io.svdwb.engine.linalg.LinearAlgebra;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ResSVD / ERC-SVD residual compensation (docs/METHODS.md §4.7, a reconstruction: [REVIEW], [SECONDARY],
 * [OURS]), implemented literally: first truncation {@code W1 = TRUNC(W, r1)}, residual
 * {@code Res = W − W1} formed in WEIGHT space (double), second truncation {@code W2 = TRUNC(Res, r2)},
 * stored as one rank-(r1+r2) pair {@code A = [A1 | A2]}, {@code B = [B1 ; B2]}, so
 * {@code stored = (r1 + r2)(m + n)} (§2.4).
 *
 * <p>TRUNC of stage 1 is the whitened truncation (§3.4). Stage 2 follows {@link ResidualMetric}:
 * {@link ResidualMetric#WHITENED} (default, [OURS]) re-whitens the residual with the same S; then in
 * exact arithmetic W1 + W2 equals the single-stage whitened truncation at rank r1 + r2 (§4.7 reviewers'
 * remark; unit-tested). {@link ResidualMetric#PLAIN} uses an unwhitened SVD of the residual.
 */
public final class ResidualSvd {

    /** beta of the residual rank {@code r_r = round(beta · mn/(m+n))} ([REVIEW], 0.05). */
    public static final double DEFAULT_BETA = 0.05;

    /** How the second stage measures the residual (§4.7 flag {@code residualMetric}). */
    public enum ResidualMetric {
        WHITENED, PLAIN
    }

    /** The two stages and their concatenation; {@code combined.product(linalg) = first + second}. */
    public record Composition(LowRankFactors first, LowRankFactors second, LowRankFactors combined) {

        /** {@code (r1 + r2)(m + n)}. */
        public long stored() {
            return combined.stored();
        }
    }

    private ResidualSvd() {
    }

    /**
     * The residual rank {@code r_r = round(beta · mn/(m+n))} (§4.7, rounding [OURS]), capped at
     * {@code totalRank − 1} so the first stage keeps at least one component; 0 when totalRank is 1.
     */
    public static int residualRank(int m, int n, int totalRank, double beta) {
        if (!(beta >= 0 && beta < 1)) {
            throw new IllegalArgumentException("residual beta must be in [0, 1), got " + beta);
        }
        if (totalRank < 1) {
            throw new IllegalArgumentException("total rank must be >= 1, got " + totalRank);
        }
        long rr = Math.round(beta * RankFromRatio.breakEvenRank(m, n));
        return (int) Math.min(rr, totalRank - 1L);
    }

    /**
     * Two-stage residual compensation of W with whitening factor S.
     *
     * @param linalg       the backend of every product and SVD
     * @param firstRank    r1 = r_i, >= 1
     * @param residualRank r2 = r_r, >= 0 (0 gives the single whitened truncation)
     * @throws IllegalArgumentException as {@link WhitenedSvd#decompose}, or for ranks outside range
     */
    public static Composition compose(LinearAlgebra linalg, INDArray w, INDArray s, int firstRank, int residualRank,
            ResidualMetric metric, String label) {
        return compose(linalg, WhitenedSvd.decompose(linalg, w, s, label), w, s, firstRank, residualRank, metric, label);
    }

    /**
     * As {@link #compose(LinearAlgebra, INDArray, INDArray, int, int, ResidualMetric, String)}, reusing an already
     * computed first-stage decomposition {@code stage1 = WhitenedSvd.decompose(linalg, w, s)} (a cached one, when
     * only the ranks change).
     */
    public static Composition compose(LinearAlgebra linalg, LowRankDecomposition stage1, INDArray w, INDArray s,
            int firstRank, int residualRank, ResidualMetric metric, String label) {
        if (stage1.kind() != LowRankDecomposition.Kind.WHITENED || stage1.rows() != w.rows() || stage1.cols() != w.columns()) {
            throw new IllegalArgumentException(label + ": the first stage must be the whitened decomposition of W");
        }
        if (residualRank < 0 || firstRank + residualRank > stage1.fullRank()) {
            throw new IllegalArgumentException(label + ": ranks r1=" + firstRank + ", r2=" + residualRank
                    + " exceed the full rank " + stage1.fullRank());
        }
        LowRankFactors first = stage1.truncate(firstRank);
        if (residualRank == 0) {
            return new Composition(first, null, first);
        }
        INDArray residual = KernelChecks.asDouble(w).sub(linalg.matmul(first.a(), false, first.b(), false));
        String label2 = label + " (residual)";
        LowRankDecomposition stage2 = metric == ResidualMetric.PLAIN ? PlainSvd.decompose(linalg, residual, label2)
                : WhitenedSvd.decompose(linalg, residual, s, label2);
        LowRankFactors second = stage2.truncate(residualRank);
        return new Composition(first, second, first.concat(second));
    }
}
