package io.svdwb.engine.compress.kernels;

import io.svdwb.engine.linalg.LinearAlgebra;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * FWSVD Fisher weighting (docs/METHODS.md §4.2): {@code d_j = (sqrt(f_j) + 1e-6)^exponent}, with {@code f} the
 * accumulated squared gradients of the loss w.r.t. W (row- or column-summed), then an SVD of the
 * weighted matrix, unweighted in the factors.
 *
 * <p>This kernel takes the Fisher sums as INPUT (§4.2 "Calibration: needs gradients"). The {@code fwsvd} method
 * passes the diagonal of the input Gram matrix in their place, a named approximation [OURS]
 * ({@code DecompositionRecipe.FisherDiagonal}).
 *
 * <p>Orientation: per input feature (columns of our m x n W) by default, as the third-party and ASVD
 * implementations do ([OURS], §4.2); {@link Orientation#OUTPUT_ROWS} gives the per-output-row variant.
 * Exponent: 1 for FWSVD proper; the ASVD codebase's "fisher" mode uses 0.5 (§4.2 "Exponent caveat").
 */
public final class FisherWeighting {

    /** FWSVD proper (§4.2). */
    public static final double DEFAULT_EXPONENT = 1.0;
    /** Added to sqrt(f) so that a weight group with zero Fisher information keeps a positive weight. */
    public static final double EPSILON = 1e-6;

    /** Which axis of W the weights apply to. */
    public enum Orientation {
        /** {@code M = W diag(d)}, one weight per input feature (default, [OURS] §4.2). */
        INPUT_COLUMNS,
        /** {@code M = diag(d) W}, one weight per output row. */
        OUTPUT_ROWS
    }

    private FisherWeighting() {
    }

    /** {@code d_j = (sqrt(f_j) + 1e-6)^exponent}. */
    public static double[] weights(double[] fisher, double exponent) {
        if (!(Double.isFinite(exponent) && exponent >= 0)) {
            throw new IllegalArgumentException("Fisher exponent must be finite and >= 0, got " + exponent);
        }
        double[] d = new double[fisher.length];
        for (int j = 0; j < d.length; j++) {
            double f = fisher[j];
            if (!(Double.isFinite(f) && f >= 0)) {
                throw new IllegalArgumentException("Fisher information " + j + " is " + f + " (must be finite and >= 0)");
            }
            d[j] = Math.pow(Math.sqrt(f) + EPSILON, exponent);
        }
        return d;
    }

    /**
     * The FWSVD decomposition of W from accumulated squared gradients along {@code orientation}, its SVD computed by
     * {@code linalg}.
     */
    public static LowRankDecomposition decompose(LinearAlgebra linalg, INDArray w, double[] fisher, Orientation orientation,
            double exponent, String label) {
        double[] d = weights(fisher, exponent);
        return orientation == Orientation.OUTPUT_ROWS ? ScaledSvd.rowScaled(linalg, w, d, label)
                : ScaledSvd.columnScaled(linalg, w, d, label);
    }
}
