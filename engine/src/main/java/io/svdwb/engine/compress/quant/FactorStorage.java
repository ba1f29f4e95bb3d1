package io.svdwb.engine.compress.quant;

import io.svdwb.engine.compress.kernels.RankFromRatio;
import java.util.Locale;

/**
 * How the factors are stored and counted (docs/METHODS.md §2.6): at the baseline dtype, as every ratio of §2.2-§2.5
 * (one factor number costs as much as one dense weight), or as int8 codes plus one float32 scale per row, counted in
 * bits against a dense baseline of {@code baselineBits} per weight.
 *
 * @param precision    the factors' storage
 * @param baselineBits bits of one weight of the dense model the ratio is measured against: 16 (fp16/bf16, what the
 *                     papers' models are stored in, the default [OURS]) or 32 (fp32, e.g. the demo model's own file)
 * @param rounding     how int8 codes are chosen: round-to-nearest, or GPTQ's error feedback through each factor's
 *                     input Hessian (needs calibration)
 */
public record FactorStorage(Precision precision, int baselineBits, Rounding rounding) {

    /** How int8 codes are chosen (§2.6); the storage and the accounting are the same for both. */
    public enum Rounding {
        /** {@link RoundToNearestInt8}. */
        NEAREST,
        /** {@link GptqInt8}: B with the input Gram H, A with the Gram of B x, {@code B' H B'^T}. */
        GPTQ;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Rounding parse(String value) {
            for (Rounding r : values()) {
                if (r.cliName().equalsIgnoreCase(value)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("--int8-rounding must be nearest or gptq, got '" + value + "'");
        }
    }

    /** Round-to-nearest storage in {@code precision} against {@code baselineBits}. */
    public FactorStorage(Precision precision, int baselineBits) {
        this(precision, baselineBits, Rounding.NEAREST);
    }

    /** The factors' storage. */
    public enum Precision {
        /** Counted as numbers of the baseline dtype (exported as float32, like the unquantised factors always were). */
        BASELINE,
        /** int8 codes, symmetric per-row scales in float32 (§2.6). */
        INT8;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Precision parse(String value) {
            for (Precision p : values()) {
                if (p.cliName().equalsIgnoreCase(value)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("--factor-dtype must be baseline or int8, got '" + value + "'");
        }
    }

    /** Bits of one int8 code. */
    public static final int CODE_BITS = 8;
    /** Bits of one per-row scale: stored as float32. */
    public static final int SCALE_BITS = 32;
    /** The default baseline: fp16/bf16 [OURS]. */
    public static final int DEFAULT_BASELINE_BITS = 16;
    /** Factors counted at the baseline dtype, the accounting before §2.6. */
    public static final FactorStorage BASELINE = new FactorStorage(Precision.BASELINE, DEFAULT_BASELINE_BITS);

    public FactorStorage {
        java.util.Objects.requireNonNull(precision, "precision");
        java.util.Objects.requireNonNull(rounding, "rounding");
        if (baselineBits != 16 && baselineBits != 32) {
            throw new IllegalArgumentException("--baseline-bits must be 16 (fp16/bf16) or 32 (fp32), got " + baselineBits);
        }
    }

    public boolean quantized() {
        return precision == Precision.INT8;
    }

    /** Bits of the dense {@code m x n} matrix at the baseline dtype. */
    public long denseBits(int m, int n) {
        return RankFromRatio.dense(m, n) * baselineBits;
    }

    /**
     * Bits of a rank-k pair A (m x k), B (k x n): {@code baselineBits k (m + n)} at the baseline, or
     * {@code 8 k (m + n) + 32 (m + k)} in int8 (codes, plus one scale per row of A and of B).
     */
    public long lowRankBits(int m, int n, int k) {
        long numbers = RankFromRatio.stored(m, n, k);
        if (!quantized()) {
            return numbers * baselineBits;
        }
        return numbers * CODE_BITS + SCALE_BITS * ((long) m + k);
    }

    /**
     * The uniform rank for ratio c: the largest k in [1, min(m, n)] whose pair fits the bit budget
     * {@code (1 - c) m n baselineBits}. At the baseline this is exactly {@link RankFromRatio#rank} (§2.3); in int8
     * {@code k = floor(((1 - c) m n baselineBits - 32 m) / (8 (m + n) + 32))}, about twice the rank at a 16-bit baseline.
     */
    public int rank(int m, int n, double compressionRatio) {
        if (!quantized()) {
            return RankFromRatio.rank(m, n, compressionRatio);
        }
        double budget = RankFromRatio.keptRatio(compressionRatio) * m * n * baselineBits;
        double k = Math.floor((budget - (double) SCALE_BITS * m) / ((double) CODE_BITS * ((long) m + n) + SCALE_BITS));
        return (int) Math.max(1, Math.min(Math.min(m, n), k));
    }

    public String describe() {
        return quantized() ? "int8 factors (" + (rounding == Rounding.GPTQ ? "GPTQ" : "round-to-nearest")
                + "), float32 row scales, ratio in bits against a " + baselineBits + "-bit dense baseline"
                : "factors counted at the " + baselineBits + "-bit baseline dtype";
    }
}
