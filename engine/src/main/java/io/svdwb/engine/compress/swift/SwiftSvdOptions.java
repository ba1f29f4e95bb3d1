package io.svdwb.engine.compress.swift;

import io.svdwb.engine.compress.method.MethodOption;
import io.svdwb.engine.compress.method.MethodSettings;
import java.util.List;
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

    static final MethodOption.Choice ALLOCATION = new MethodOption.Choice("swift-allocation", List.of("dynamic", "uniform"), "dynamic",
            "Swift-SVD ranks: the repository's dynamic allocation (layer Block Influence x output norm, within each projection "
                    + "type's uniform budget, §4.10) or uniform k(rho).");
    static final MethodOption.Number ALPHA = MethodOption.Number.real("swift-alpha", DEFAULTS.alpha(), 0, 1,
            "Swift-SVD allocation exponent in [0, 1]: score = I^A log(1 + ||W X||)^(1-A); 0.6 the repository's Swift-SVD, 0 its "
                    + "loss-only setting.");
    static final MethodOption.Text ALPHA_GRID = new MethodOption.Text("swift-alpha-grid", "",
            "Swift-SVD: comma-separated alphas to try, keeping the one with the lowest calibration perplexity on the probe "
                    + "windows [OURS]; replaces --swift-alpha.");
    static final List<MethodOption> OPTIONS = List.of(ALLOCATION, ALPHA, ALPHA_GRID);

    /** The method's settings as the allocation reads them; a bad grid entry is named. */
    public static SwiftSvdOptions of(MethodSettings settings) {
        List<Double> grid = new java.util.ArrayList<>();
        for (String alpha : settings.text(ALPHA_GRID).split(",")) {
            if (!alpha.isBlank()) {
                try {
                    grid.add(Double.parseDouble(alpha.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--swift-alpha-grid: '" + alpha.trim() + "' is not a number");
                }
            }
        }
        return new SwiftSvdOptions(settings.choice(ALLOCATION).equals("uniform") ? Allocation.UNIFORM : Allocation.DYNAMIC,
                settings.number(ALPHA), grid);
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
