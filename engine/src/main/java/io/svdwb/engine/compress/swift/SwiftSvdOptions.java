package io.svdwb.engine.compress.swift;

import java.util.Locale;

/**
 * Swift-SVD's own knobs (docs/METHODS.md §4.10), kept apart from the other methods' options.
 *
 * @param allocation how ranks are spread: {@link Allocation#DYNAMIC}, the repository's importance x loss allocation
 *                   ({@code dynamic_rank_allocation.py}, the "swift-svd" setting of {@code run_dynamic.sh}), or
 *                   {@link Allocation#UNIFORM} k(rho) per matrix (§2.3, {@code uniform_rank_allocation.py})
 * @param alpha      the allocation's exponent: score = I^alpha · log(1 + ||W X||_F)^(1 - alpha), in [0, 1];
 *                   0.6 is the repository's Swift-SVD value, 0 its "svdllmv2" loss-only setting
 * @param alphaGrid  alphas to try instead of {@code alpha}, keeping the one with the lowest calibration perplexity
 *                   on the probe windows [OURS: the repository loops its {@code ALPHAS} grid by hand and compares
 *                   evaluations]; empty = {@code alpha} alone
 */
public record SwiftSvdOptions(Allocation allocation, double alpha, java.util.List<Double> alphaGrid) {

    /** How the ranks are chosen. */
    public enum Allocation {
        UNIFORM, DYNAMIC;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The repository's Swift-SVD run: dynamic allocation with alpha 0.6 ({@code run_dynamic.sh}). */
    public static final SwiftSvdOptions DEFAULTS = new SwiftSvdOptions(Allocation.DYNAMIC, 0.6);

    public SwiftSvdOptions(Allocation allocation, double alpha) {
        this(allocation, alpha, java.util.List.of());
    }

    public SwiftSvdOptions {
        java.util.Objects.requireNonNull(allocation, "allocation");
        alphaGrid = java.util.List.copyOf(alphaGrid);
        requireAlpha(alpha);
        alphaGrid.forEach(SwiftSvdOptions::requireAlpha);
    }

    private static void requireAlpha(double alpha) {
        // alpha > 1 would raise log(1 + eps) to a negative power, which is unbounded for a zero output
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("Swift-SVD alpha must be in [0, 1], got " + alpha);
        }
    }

    /** The cache and report key: everything that changes the result. */
    public String key() {
        if (allocation == Allocation.UNIFORM) {
            return "uniform";
        }
        return alphaGrid.isEmpty() ? String.format(Locale.ROOT, "dynamic alpha=%s", alpha)
                : "dynamic alpha from " + alphaGrid + " by calibration perplexity";
    }
}
