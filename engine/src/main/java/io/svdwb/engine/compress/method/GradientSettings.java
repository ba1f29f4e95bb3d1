package io.svdwb.engine.compress.method;

import io.svdwb.engine.compress.gradients.GradientPassSettings;
import io.svdwb.engine.compress.kernels.FisherWeighting;

/**
 * The knobs of the gradient-based methods: FWSVD (docs/METHODS.md §4.2) and Zero-Sum SVD (§4.11).
 *
 * @param pass             FWSVD's gradient pass: 32 batches of 1 calibration-length window [OURS]
 * @param fwsvdFisher      where FWSVD's Fisher sums come from: real gradients (default) or the diagonal of H [OURS]
 * @param fwsvdOrientation per input feature (default [OURS], as the third-party code) or per output row
 * @param zeroSumBatches   Zero-Sum SVD: windows (one per batch) its mean gradient is taken over; 1 as the reference
 *                         one-shot script ({@code --nsamples_gradient_subset 1}) [CODE]
 * @param zeroSumRankFloor Zero-Sum SVD: no matrix drops below {@code ceil(floor x r*)} components (r* = break-even rank);
 *                         NaN = the one-shot script's rule, 0.3 from a ratio of 0.6 up and 0 below [CODE, "from 0.6 up" OURS]
 */
public record GradientSettings(GradientPassSettings pass, FisherSource fwsvdFisher, FisherWeighting.Orientation fwsvdOrientation,
                               int zeroSumBatches, double zeroSumRankFloor) {

    /** FWSVD's Fisher information: {@link #EXACT} squared gradients, or the {@link #DIAGONAL_GRAM} approximation. */
    public enum FisherSource {
        EXACT("exact"), DIAGONAL_GRAM("diagonal-gram");

        private final String cliName;

        FisherSource(String cliName) {
            this.cliName = cliName;
        }

        public String cliName() {
            return cliName;
        }

        public static FisherSource parse(String name) {
            for (FisherSource s : values()) {
                if (s.cliName.equalsIgnoreCase(name.trim())) {
                    return s;
                }
            }
            throw new IllegalArgumentException("--fwsvd-fisher must be exact or diagonal-gram, got '" + name + "'");
        }
    }

    public static final GradientSettings DEFAULTS = new GradientSettings(GradientPassSettings.DEFAULTS, FisherSource.EXACT,
            FisherWeighting.Orientation.INPUT_COLUMNS, 1, Double.NaN);

    public GradientSettings {
        java.util.Objects.requireNonNull(pass, "pass");
        java.util.Objects.requireNonNull(fwsvdFisher, "fwsvdFisher");
        java.util.Objects.requireNonNull(fwsvdOrientation, "fwsvdOrientation");
        if (fwsvdFisher == FisherSource.DIAGONAL_GRAM && fwsvdOrientation == FisherWeighting.Orientation.OUTPUT_ROWS) {
            throw new IllegalArgumentException("the diagonal-Gram Fisher approximation weights input features only;"
                    + " per-output-row weights need --fwsvd-fisher exact");
        }
        if (zeroSumBatches < 1) {
            throw new IllegalArgumentException("Zero-Sum SVD needs at least 1 gradient window, got " + zeroSumBatches);
        }
        if (!Double.isNaN(zeroSumRankFloor) && !(zeroSumRankFloor >= 0 && zeroSumRankFloor <= 1)) {
            throw new IllegalArgumentException("the Zero-Sum SVD rank floor must be in [0, 1] (a fraction of the break-even rank), got "
                    + zeroSumRankFloor);
        }
    }

    /** The rank floor for compression ratio c: the set value, or the reference script's 0.3 from c = 0.6 up. */
    public double zeroSumRankFloor(double ratio) {
        return Double.isNaN(zeroSumRankFloor) ? (ratio >= 0.6 - 1e-9 ? 0.3 : 0) : zeroSumRankFloor;
    }

    /** Zero-Sum SVD's pass: FWSVD's window length and seed, {@link #zeroSumBatches} batches of one window. */
    public GradientPassSettings zeroSumPass() {
        return new GradientPassSettings(zeroSumBatches, 1, pass.length(), pass.seed());
    }
}
