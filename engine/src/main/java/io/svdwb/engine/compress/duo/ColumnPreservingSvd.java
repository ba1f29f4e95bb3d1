package io.svdwb.engine.compress.duo;

import io.svdwb.engine.compress.kernels.LowRankDecomposition;
import io.svdwb.engine.compress.kernels.LowRankFactors;
import io.svdwb.engine.compress.kernels.WhitenedSvd;
import io.svdwb.engine.compress.kernels.Whitening;
import io.svdwb.engine.linalg.LinearAlgebra;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Duo-SVD's column-preserving factorization of one matrix under a rank budget k (docs/METHODS.md §4.6 step 4,
 * [CODE] cpFactor): the q input columns whose truncation hurts most are stored exactly, the rest is
 * whitened-SVD truncated at {@code kc = k - delta}, at (almost) the storage of the rank-k pair (§2.4).
 *
 * <ol>
 *   <li>Baseline: whitened rank-k truncation (§3.4), loss e0, weight-space residual E, column scores
 *       {@code ||E[:, j]||^2 H[j, j]} ({@link ColumnScores}).</li>
 *   <li>{@code f(delta)}: the exact output error with the q top-scored columns kept: Cholesky of
 *       {@code H[R, R]} (same whitening options, so the same damping fallback), singular values of
 *       {@code W[:, R] S_R}, root of the sum of squares beyond kc.</li>
 *   <li>{@link GoldenSection#searchDelta} over {@code [0, k]}; the best delta is kept only if it gains more
 *       than the acceptance threshold (1 %) over e0, otherwise delta = 0.</li>
 *   <li>Final factors: whitened truncation of {@code W[:, R]} at kc; delta = 0 returns the baseline's own
 *       factors (exactly SVD-LLM's).</li>
 * </ol>
 *
 * A split that is infeasible (§4.6: {@code m - kc > 0}, {@code q <= n - kc}, {@link ColumnExchange#split})
 * or has kc = 0 evaluates to +infinity, so the search never picks it. kc = 0 is excluded [OURS] because
 * the stored form needs a rank of at least 1 (truncation_ranks); the reference's probes are unchanged.
 * Everything is DOUBLE. Stateless.
 */
public final class ColumnPreservingSvd {

    /**
     * @param acceptanceThreshold the relative gain over e0 a split must exceed (reference 0.01 [CODE])
     * @param rounding            how q is rounded (reference ROUND [CODE]; FLOOR never exceeds k (m + n))
     * @param minWidth            the golden-section search stops below this bracket width (reference 3)
     * @param maxIterations       a safety cap on the golden-section steps (the bracket shrinks every step)
     * @param scanFinalBracket    [OURS] also evaluate every point of the final bracket (reference false)
     * @param whitening           Cholesky options for H and every H[R, R] (reference Duo-SVD: plain, then 5 % damping)
     */
    public record Options(double acceptanceThreshold, ColumnExchange.Rounding rounding, int minWidth, int maxIterations,
                          boolean scanFinalBracket, Whitening.Options whitening) {

        /** The reference Duo-SVD settings. */
        public static final Options REFERENCE = new Options(0.01, ColumnExchange.Rounding.ROUND, 3, 100, false,
                Whitening.Options.DUO_SVD);

        public Options {
            Objects.requireNonNull(rounding, "rounding");
            Objects.requireNonNull(whitening, "whitening");
            if (!(acceptanceThreshold >= 0 && acceptanceThreshold < 1) || minWidth < 1 || maxIterations < 0) {
                throw new IllegalArgumentException("invalid column-preserving options: threshold=" + acceptanceThreshold
                        + ", minWidth=" + minWidth + ", maxIterations=" + maxIterations);
            }
        }

        public Options withRounding(ColumnExchange.Rounding r) {
            return new Options(acceptanceThreshold, r, minWidth, maxIterations, scanFinalBracket, whitening);
        }

        public Options withScanFinalBracket(boolean scan) {
            return new Options(acceptanceThreshold, rounding, minWidth, maxIterations, scan, whitening);
        }

        public Options withAcceptanceThreshold(double threshold) {
            return new Options(threshold, rounding, minWidth, maxIterations, scanFinalBracket, whitening);
        }
    }

    private ColumnPreservingSvd() {
    }

    /**
     * @param linalg the backend of every Cholesky, product and SVD
     * @param w     m x n weight ([out, in]), FLOAT or DOUBLE
     * @param gram  n x n calibration Gram {@code H = X Xᵀ}, DOUBLE preferred (FLOAT is widened)
     * @param k     the rank budget, {@code 1 <= k <= m n / (m + n)} (break-even, §2.3)
     * @param label names the matrix in messages and logs
     * @throws IllegalArgumentException for a missing label, wrong shapes, non-finite entries or k out of range;
     *                                  the message names the matrix
     */
    public static ColumnPreservingFactors decompose(LinearAlgebra linalg, INDArray w, INDArray gram, int k, Options options,
            String label) {
        Objects.requireNonNull(options, "options");
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("a label naming the matrix is required (for error messages and logs)");
        }
        INDArray wd = checkedMatrix(w, label, "the weight");
        INDArray hd = checkedMatrix(gram, label, "the Gram matrix H");
        int m = (int) wd.rows();
        int n = (int) wd.columns();
        if (hd.rows() != n || hd.columns() != n) {
            throw new IllegalArgumentException(label + ": the Gram matrix H must be " + n + " x " + n + " for a weight of "
                    + m + " x " + n + ", got " + hd.rows() + " x " + hd.columns());
        }
        if (k < 1 || (long) k * (m + n) > (long) m * n) {
            throw new IllegalArgumentException(label + ": rank budget k = " + k + " outside [1, m n / (m + n) = "
                    + (double) m * n / (m + n) + "] (above break-even the dense matrix is smaller)");
        }

        LowRankDecomposition baseline = WhitenedSvd.decompose(linalg, wd,
                Whitening.factor(linalg, hd, label, options.whitening()).factor(), label);
        LowRankFactors baseFactors = baseline.truncate(k);
        double e0 = baseline.truncationLoss(k);
        INDArray residual = wd.sub(baseFactors.product(linalg));
        int[] order = ColumnScores.descendingOrder(ColumnScores.scores(residual.toDoubleMatrix(), ColumnSubsets.diagonal(hd)));

        SplitLoss f = new SplitLoss(linalg, wd, hd, k, order, options, label);
        f.cache.put(0, e0);   // delta = 0 is the baseline itself; not recomputed, so f(0) is exactly e0
        int delta = GoldenSection.searchDelta(f::at, k, e0, options.minWidth(), options.maxIterations(),
                options.scanFinalBracket());
        if (delta > 0 && !(e0 > 0 && (e0 - f.at(delta)) / e0 > options.acceptanceThreshold())) {
            delta = 0;   // §4.6: a split must gain more than the threshold over the plain truncation
        }
        if (delta == 0) {
            int[] all = ColumnSubsets.complement(n, new int[0]);
            return new ColumnPreservingFactors(label, k, 0, new int[0], all, Nd4j.create(DataType.DOUBLE, m, 0),
                    baseFactors, e0, e0);
        }
        ColumnExchange.Split split = ColumnExchange.split(m, n, k, delta, options.rounding());
        int[] kept = ColumnScores.keptColumns(order, split.q());
        int[] rest = ColumnSubsets.complement(n, kept);
        INDArray restWeight = ColumnSubsets.columns(wd, rest);
        INDArray restFactor = f.whiten(rest, split.q());
        LowRankDecomposition dec = WhitenedSvd.decompose(linalg, restWeight, restFactor, label);
        return new ColumnPreservingFactors(label, k, delta, kept, rest, ColumnSubsets.columns(wd, kept),
                dec.truncate(split.kc()), e0, dec.truncationLoss(split.kc()));
    }

    /** f(delta) of §4.6, cached: the exact output error of the split, +infinity when the split is not allowed. */
    private static final class SplitLoss {

        private final LinearAlgebra linalg;
        private final INDArray w;
        private final INDArray h;
        private final int k;
        private final int[] order;
        private final Options options;
        private final String label;
        private final Map<Integer, Double> cache = new HashMap<>();

        SplitLoss(LinearAlgebra linalg, INDArray w, INDArray h, int k, int[] order, Options options, String label) {
            this.linalg = linalg;
            this.w = w;
            this.h = h;
            this.k = k;
            this.order = order;
            this.options = options;
            this.label = label;
        }

        double at(int delta) {
            return cache.computeIfAbsent(delta, this::evaluate);
        }

        private double evaluate(int delta) {
            ColumnExchange.Split split = ColumnExchange.split((int) w.rows(), (int) w.columns(), k, delta, options.rounding());
            if (split == null || split.kc() == 0) {
                return Double.POSITIVE_INFINITY;
            }
            int[] rest = ColumnSubsets.complement((int) w.columns(), ColumnScores.keptColumns(order, split.q()));
            // the product WhitenedSvd forms, so that the search's loss at delta is the accepted split's loss exactly
            INDArray ws = linalg.multiplyLowerTriangular(ColumnSubsets.columns(w, rest), whiten(rest, split.q()));
            double[] s = linalg.singularValues(ws).toDoubleVector();
            double sum = 0;
            for (int i = s.length - 1; i >= split.kc(); i--) {   // smallest first, for accuracy
                sum += s[i] * s[i];
            }
            return Math.sqrt(sum);
        }

        /** S_R, the whitening factor of {@code H[R, R]}, with the same options (and fallback) as the full H. */
        INDArray whiten(int[] rest, int q) {
            return Whitening.factor(linalg, ColumnSubsets.principalBlock(h, rest), label + " (rest columns, q=" + q + ")",
                    options.whitening()).factor();
        }
    }

    /** m x n DOUBLE, row-major, with every entry finite; the message names the matrix and the first bad entry. */
    private static INDArray checkedMatrix(INDArray x, String label, String what) {
        if (x == null) {
            throw new IllegalArgumentException(label + ": " + what + " is null");
        }
        if (x.rank() != 2 || x.rows() == 0 || x.columns() == 0
                || (x.dataType() != DataType.FLOAT && x.dataType() != DataType.DOUBLE)) {
            throw new IllegalArgumentException(label + ": " + what + " must be a non-empty 2-D FLOAT or DOUBLE matrix, got "
                    + x.dataType() + " " + java.util.Arrays.toString(x.shape()));
        }
        INDArray d = ColumnSubsets.rowMajor(x);
        DoubleIndexer values = (DoubleIndexer) d.data().indexer();
        long cols = d.columns();
        for (long i = 0; i < d.length(); i++) {
            if (!Double.isFinite(values.get(i))) {
                throw new IllegalArgumentException(label + ": " + what + " contains a non-finite value (" + values.get(i)
                        + ") at (" + i / cols + ", " + i % cols + ")");
            }
        }
        return d;
    }
}
