package io.svdwb.engine.compress.quant;

/**
 * A matrix stored as signed 8-bit codes with one float32 scale per row (docs/METHODS.md §2.6): element
 * {@code (i, j)} stands for {@code scales[i] * codes[i * cols + j]}, the product taken in float32 so that every
 * reader (the engine's model, the exported file read back, the transformers modeling file) gets the same bits.
 *
 * @param codes  row-major, {@code rows * cols} codes in [-127, 127] (-128 is never produced: the grid is symmetric)
 * @param scales one non-negative, finite scale per row (0 for an all-zero row)
 */
public record Int8Rows(int rows, int cols, byte[] codes, float[] scales) {

    /** The largest code magnitude: a symmetric grid, so that -x quantises to -q. */
    public static final int MAX_CODE = 127;

    public Int8Rows {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("an int8 matrix needs positive dimensions, got " + rows + " x " + cols);
        }
        if (codes.length != (long) rows * cols || scales.length != rows) {
            throw new IllegalArgumentException("a " + rows + " x " + cols + " int8 matrix needs " + (long) rows * cols
                    + " codes and " + rows + " scales, got " + codes.length + " and " + scales.length);
        }
        for (int i = 0; i < rows; i++) {
            if (!(scales[i] >= 0) || Float.isInfinite(scales[i])) {
                throw new IllegalArgumentException("the scale of row " + i + " must be finite and >= 0, got " + scales[i]);
            }
        }
        for (byte c : codes) {
            if (c < -MAX_CODE) {
                throw new IllegalArgumentException("int8 codes must lie in [-127, 127] (symmetric grid), got " + c);
            }
        }
    }

    /** The dequantised matrix, row-major: {@code scales[i] * codes[i][j]} in float32. */
    public float[] dequantize() {
        float[] out = new float[codes.length];
        for (int i = 0; i < rows; i++) {
            float s = scales[i];
            int base = i * cols;
            for (int j = 0; j < cols; j++) {
                out[base + j] = s * codes[base + j];
            }
        }
        return out;
    }
}
