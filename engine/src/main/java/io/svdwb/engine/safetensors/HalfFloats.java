package io.svdwb.engine.safetensors;

/**
 * Conversions between float32 and the two 16-bit float formats safetensors stores (IEEE binary16 "F16"
 * and bfloat16 "BF16"). All conversions to 16 bits round to nearest, ties to even, and keep NaN a NaN.
 */
public final class HalfFloats {

    private HalfFloats() {
    }

    /** float32 to IEEE binary16 bits; overflow gives ±Inf, tiny values become subnormals or ±0. */
    public static short toF16(float value) {
        return Float.floatToFloat16(value);
    }

    /** How many of {@code values[from, from + count)} are NaN or infinite. */
    public static long countNonFinite(float[] values, int from, int count) {
        long n = 0;
        for (int i = from, end = from + count; i < end; i++) {
            if (!Float.isFinite(values[i])) {
                n++;
            }
        }
        return n;
    }

    public static float fromF16(short bits) {
        return Float.float16ToFloat(bits);
    }

    /**
     * float32 to bfloat16 bits (the upper half of the float32 bits, rounded). A NaN keeps its sign and upper
     * payload bits and gets the quiet bit set: a NaN whose payload lies only in the lower 16 bits would
     * otherwise be truncated into an infinity.
     */
    public static short toBF16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        // Adding 0x7FFF plus the lowest kept bit rounds half-way cases to the even neighbour; a carry out of
        // the mantissa correctly bumps the exponent (up to infinity for values beyond the bfloat16 range).
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    public static float fromBF16(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }
}
