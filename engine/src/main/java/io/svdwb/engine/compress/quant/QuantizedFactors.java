package io.svdwb.engine.compress.quant;

/**
 * A rank-k pair stored in int8 (docs/METHODS.md §2.6): A [out, k] with one scale per output row, B [k, in] with
 * one scale per component (row of B).
 */
public record QuantizedFactors(Int8Rows a, Int8Rows b) {

    public QuantizedFactors {
        if (a.cols() != b.rows()) {
            throw new IllegalArgumentException("int8 factors do not chain: A is " + a.rows() + " x " + a.cols() + ", B is "
                    + b.rows() + " x " + b.cols());
        }
    }

    /** Round-to-nearest of the row-major float factors A [m, k] and B [k, n]. */
    public static QuantizedFactors roundToNearest(float[] a, float[] b, int m, int k, int n, String label) {
        return new QuantizedFactors(RoundToNearestInt8.quantize(a, m, k, label + " A"), RoundToNearestInt8.quantize(b, k, n, label + " B"));
    }

    public int rank() {
        return a.cols();
    }

    /** Numbers of scales stored: one per row of A and of B. */
    public long scaleCount() {
        return (long) a.rows() + b.rows();
    }
}
