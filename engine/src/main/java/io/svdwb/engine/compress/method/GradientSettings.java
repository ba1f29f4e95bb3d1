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

    private static final GradientPassSettings P = GradientPassSettings.DEFAULTS;

    public static final MethodOption.Choice FWSVD_FISHER = new MethodOption.Choice("fwsvd-fisher", java.util.List.of("exact", "diagonal-gram"),
            "exact", "FWSVD Fisher weights (§4.2): squared cross-entropy gradients of the gradient pass, or the diagonal of the input "
                    + "Gram matrix (no backward, an approximation [OURS]).");
    public static final MethodOption.Choice FWSVD_ORIENTATION = new MethodOption.Choice("fwsvd-orientation", java.util.List.of("input", "output"),
            "input", "FWSVD weights per input feature (column sums, [OURS] as the third-party code) or per output row (§4.2).");
    public static final MethodOption.Number GRADIENT_BATCHES = MethodOption.Number.integer("gradient-batches", P.batches(), 1, 1 << 20,
            "FWSVD gradient pass: batches, one squared gradient each [OURS].");
    public static final MethodOption.Number GRADIENT_BATCH_SIZE = MethodOption.Number.integer("gradient-batch-size", P.windowsPerBatch(), 1,
            1 << 20, "Gradient pass: calibration windows per batch [OURS].");
    public static final MethodOption.Number GRADIENT_LENGTH = MethodOption.Number.integer("gradient-length", P.length(), 0, 1 << 20,
            "Gradient pass: tokens per window; 0 = the calibration length.");
    public static final MethodOption.Number GRADIENT_SEED = MethodOption.Number.integer("gradient-seed", P.seed(), 0, Integer.MAX_VALUE,
            "Seed of the gradient windows.");
    public static final MethodOption.Number ZERO_SUM_WINDOWS = MethodOption.Number.integer("zero-sum-gradient-windows", 1, 1, 1 << 20,
            "Zero-Sum SVD: windows its mean gradient is taken over (1, as the reference one-shot script).");
    public static final MethodOption.Text ZERO_SUM_RANK_FLOOR = new MethodOption.Text("zero-sum-rank-floor", "auto",
            "Zero-Sum SVD: no matrix keeps fewer than F x its break-even rank components (F in [0, 1]); auto = 0.3 from ratio 0.6 "
                    + "up, else 0 (the reference one-shot script).");

    /** FWSVD's options. */
    public static final java.util.List<MethodOption> FWSVD_OPTIONS = java.util.List.of(FWSVD_FISHER, FWSVD_ORIENTATION, GRADIENT_BATCHES,
            GRADIENT_BATCH_SIZE, GRADIENT_LENGTH, GRADIENT_SEED);

    /** Zero-Sum SVD's gradient options (its pass is one window per batch, with FWSVD's length and seed). */
    public static final java.util.List<MethodOption> ZERO_SUM_OPTIONS = java.util.List.of(ZERO_SUM_WINDOWS, ZERO_SUM_RANK_FLOOR,
            GRADIENT_LENGTH, GRADIENT_SEED);

    /** The gradient settings of a method's options; the ones it does not declare keep their defaults. */
    public static GradientSettings of(MethodSettings s) {
        GradientSettings d = DEFAULTS;
        int batches = s.declares(GRADIENT_BATCHES.name()) ? s.integer(GRADIENT_BATCHES) : d.pass().batches();
        int batchSize = s.declares(GRADIENT_BATCH_SIZE.name()) ? s.integer(GRADIENT_BATCH_SIZE) : d.pass().windowsPerBatch();
        int length = s.declares(GRADIENT_LENGTH.name()) ? s.integer(GRADIENT_LENGTH) : d.pass().length();
        long seed = s.declares(GRADIENT_SEED.name()) ? s.longValue(GRADIENT_SEED) : d.pass().seed();
        FisherSource fisher = s.declares(FWSVD_FISHER.name()) ? FisherSource.parse(s.choice(FWSVD_FISHER)) : d.fwsvdFisher();
        FisherWeighting.Orientation orientation = s.declares(FWSVD_ORIENTATION.name()) && s.choice(FWSVD_ORIENTATION).equals("output")
                ? FisherWeighting.Orientation.OUTPUT_ROWS : FisherWeighting.Orientation.INPUT_COLUMNS;
        int windows = s.declares(ZERO_SUM_WINDOWS.name()) ? s.integer(ZERO_SUM_WINDOWS) : d.zeroSumBatches();
        double floor = d.zeroSumRankFloor();
        if (s.declares(ZERO_SUM_RANK_FLOOR.name()) && !s.text(ZERO_SUM_RANK_FLOOR).equalsIgnoreCase("auto")) {
            try {
                floor = Double.parseDouble(s.text(ZERO_SUM_RANK_FLOOR).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--zero-sum-rank-floor must be a number in [0, 1] or auto, got '"
                        + s.text(ZERO_SUM_RANK_FLOOR) + "'");
            }
        }
        return new GradientSettings(new GradientPassSettings(batches, batchSize, length, seed), fisher, orientation, windows, floor);
    }

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
