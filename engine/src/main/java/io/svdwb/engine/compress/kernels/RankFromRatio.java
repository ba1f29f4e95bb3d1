package io.svdwb.engine.compress.kernels;

/**
 * Integer ranks from a compression ratio and the parameter counts they imply (docs/METHODS.md §2.3, §2.4).
 *
 * <p>Why a kernel of its own: every method must turn the user's ratio into integer ranks the same way
 * (floor, §6 pitfall 8), and the realised ratio must be recomputed from those ranks, never taken from
 * the nominal one (§2.5). The compression ratio {@code c} is the fraction of parameters REMOVED; the
 * kept ratio is {@code rho = 1 - c} (§1).
 */
public final class RankFromRatio {

    private RankFromRatio() {
    }

    /**
     * The kept ratio {@code rho = 1 - c}. The ratio must lie strictly between 0 and 1: 0 would keep
     * every parameter (a rank above break-even, larger than the dense matrix) and 1 would keep none.
     *
     * @throws IllegalArgumentException if {@code compressionRatio} is not in (0, 1) or not finite
     */
    public static double keptRatio(double compressionRatio) {
        if (!(compressionRatio > 0 && compressionRatio < 1)) {
            throw new IllegalArgumentException("compression ratio must be strictly between 0 and 1 (the fraction of "
                    + "parameters removed, e.g. 0.2 for 20 %), got " + compressionRatio);
        }
        return 1 - compressionRatio;
    }

    /**
     * {@code k(rho) = floor(rho * m * n / (m + n))} with {@code rho = 1 - c} (§2.3, the SVD-LLM / ASVD /
     * Duo-SVD formula), clamped to {@code [1, min(m, n)]} so that a tiny matrix still gets one
     * component. The product is formed in the reference code's order ({@code m * n * rho / (m + n)}).
     *
     * @throws IllegalArgumentException for a ratio outside (0, 1) or a non-positive dimension
     */
    public static int rank(int m, int n, double compressionRatio) {
        requireShape(m, n);
        double rho = keptRatio(compressionRatio);
        double k = Math.floor((double) m * n * rho / ((double) m + n));
        return (int) Math.max(1, Math.min(Math.min(m, n), k));
    }

    /**
     * Break-even rank {@code m n / (m + n)} (§2.3): a factorisation with more components stores more
     * numbers than the dense matrix.
     */
    public static double breakEvenRank(int m, int n) {
        requireShape(m, n);
        return (double) m * n / ((double) m + n);
    }

    /** Whether a rank-k pair stores strictly fewer numbers than the dense m x n matrix. */
    public static boolean factorisationIsSmaller(int m, int n, int k) {
        return stored(m, n, k) < dense(m, n);
    }

    /** Numbers stored by a rank-k pair {@code A (m x k), B (k x n)}: {@code k (m + n)} (§2.4). */
    public static long stored(int m, int n, int k) {
        requireShape(m, n);
        if (k < 0) {
            throw new IllegalArgumentException("rank must be non-negative, got " + k);
        }
        return (long) k * ((long) m + n);
    }

    /** Numbers stored by the dense m x n matrix (§2.4). */
    public static long dense(int m, int n) {
        requireShape(m, n);
        return (long) m * n;
    }

    private static void requireShape(int m, int n) {
        if (m <= 0 || n <= 0) {
            throw new IllegalArgumentException("matrix dimensions must be positive, got " + m + " x " + n);
        }
    }
}
