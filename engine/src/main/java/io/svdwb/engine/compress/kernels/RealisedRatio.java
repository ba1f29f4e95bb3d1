package io.svdwb.engine.compress.kernels;

import java.util.List;

/**
 * The realised compression of a set of compressible matrices (docs/METHODS.md §2.2):
 * {@code c_eff = 1 - P_kept / P_orig} over the compressible set, and the secondary
 * {@code c_model = (P_orig - P_kept) / (all model parameters)}. Always computed from the final integer
 * ranks (§2.5), never from nominal per-matrix ratios.
 *
 * @param originalParameters {@code P_orig}: sum of {@code m n} over the compressible matrices
 * @param keptParameters     {@code P_kept}: sum of {@code stored(W)}
 * @param modelParameters    every parameter of the model (embeddings, norms, lm_head included)
 */
public record RealisedRatio(long originalParameters, long keptParameters, long modelParameters) {

    /** One compressible matrix: its shape and the numbers its replacement stores (§2.4). */
    public record Entry(int rows, int cols, long stored) {

        public Entry {
            if (rows <= 0 || cols <= 0 || stored < 0) {
                throw new IllegalArgumentException("invalid entry " + rows + " x " + cols + " storing " + stored);
            }
        }

        /** A matrix left dense: stores {@code m n}. */
        public static Entry dense(int rows, int cols) {
            return new Entry(rows, cols, RankFromRatio.dense(rows, cols));
        }

        /** A matrix replaced by a rank-k pair: stores {@code k (m + n)}. */
        public static Entry lowRank(int rows, int cols, int rank) {
            return new Entry(rows, cols, RankFromRatio.stored(rows, cols, rank));
        }
    }

    public RealisedRatio {
        if (originalParameters <= 0 || keptParameters < 0 || modelParameters < originalParameters) {
            throw new IllegalArgumentException("inconsistent parameter counts: P_orig=" + originalParameters
                    + ", P_kept=" + keptParameters + ", model=" + modelParameters);
        }
    }

    /** Sums the entries; {@code modelParameters} counts the whole model. */
    public static RealisedRatio of(List<Entry> entries, long modelParameters) {
        long orig = 0;
        long kept = 0;
        for (Entry e : entries) {
            orig = Math.addExact(orig, RankFromRatio.dense(e.rows(), e.cols()));
            kept = Math.addExact(kept, e.stored());
        }
        return new RealisedRatio(orig, kept, modelParameters);
    }

    /**
     * The ratio in bits (docs/METHODS.md §2.6), for factors stored in another dtype than the dense weights: each
     * entry's {@code stored} is its bits, {@code P_orig} is {@code baselineBits} per dense weight, and the whole model
     * counts {@code baselineBits} per parameter. The record's fields then hold bits, not parameters.
     */
    public static RealisedRatio ofBits(List<Entry> entriesInBits, int baselineBits, long modelParameters) {
        long orig = 0;
        long kept = 0;
        for (Entry e : entriesInBits) {
            orig = Math.addExact(orig, Math.multiplyExact(RankFromRatio.dense(e.rows(), e.cols()), baselineBits));
            kept = Math.addExact(kept, e.stored());
        }
        return new RealisedRatio(orig, kept, Math.multiplyExact(modelParameters, baselineBits));
    }

    /** {@code P_kept / P_orig}: the kept fraction of the compressible parameters. */
    public double keptFraction() {
        return (double) keptParameters / originalParameters;
    }

    /** {@code c_eff = 1 - P_kept / P_orig}, the reported compression ratio. */
    public double effectiveRatio() {
        return 1 - keptFraction();
    }

    /** {@code c_model = (P_orig - P_kept) / modelParameters}, the removed fraction of the whole model. */
    public double modelRatio() {
        return (double) (originalParameters - keptParameters) / modelParameters;
    }

    /**
     * Whether the target is met within the §2.2 tolerance: {@code c_eff >= c - tolerance}
     * (tolerance 0.002 by default, [OURS]).
     */
    public boolean meets(double targetRatio, double tolerance) {
        return effectiveRatio() >= targetRatio - tolerance;
    }
}
