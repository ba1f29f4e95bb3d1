package io.svdwb.engine.compress.quant;

/**
 * Symmetric round-to-nearest int8 with one scale per row (docs/METHODS.md §2.6): row i gets
 * {@code s_i = max_j |x_ij| / 127} and codes {@code q_ij = round(x_ij / s_i)}, so that
 * {@code |x_ij - s_i q_ij| <= s_i / 2} for every element (before the float32 rounding of the product).
 *
 * <p>Why per row: a row of a factor is one output channel of its linear map ({@code B x} or {@code A (B x)}), the
 * axis the quantisation literature (RTN, GPTQ) scales, and the one GPTQ's column-by-column error feedback needs fixed
 * while it walks the columns. For SVD-LLM's {@code B = sqrt(Sigma) V^T} the rows also carry the spectrum's decay, so
 * each component gets a grid of its own size [OURS].
 */
public final class RoundToNearestInt8 {

    private RoundToNearestInt8() {
    }

    /**
     * Quantises the row-major {@code rows x cols} matrix {@code values}.
     *
     * @throws IllegalArgumentException for a shape that does not match, or a NaN or infinite entry (named by position)
     */
    public static Int8Rows quantize(float[] values, int rows, int cols, String label) {
        if (rows <= 0 || cols <= 0 || values.length != (long) rows * cols) {
            throw new IllegalArgumentException(label + ": " + values.length + " values do not form a " + rows + " x " + cols + " matrix");
        }
        byte[] codes = new byte[values.length];
        float[] scales = new float[rows];
        for (int i = 0; i < rows; i++) {
            int base = i * cols;
            float max = 0;
            for (int j = 0; j < cols; j++) {
                float v = values[base + j];
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException(label + ": entry (" + i + ", " + j + ") is " + v + "; int8 needs finite factors");
                }
                max = Math.max(max, Math.abs(v));
            }
            float s = max / Int8Rows.MAX_CODE;
            scales[i] = s;
            for (int j = 0; s > 0 && j < cols; j++) {
                codes[base + j] = code(values[base + j], s);
            }
        }
        return new Int8Rows(rows, cols, codes, scales);
    }

    /** {@code round(x / s)} to nearest (ties to even), clamped to the symmetric grid. */
    static byte code(double x, double s) {
        double q = Math.rint(x / s);
        return (byte) Math.max(-Int8Rows.MAX_CODE, Math.min(Int8Rows.MAX_CODE, q));
    }
}
