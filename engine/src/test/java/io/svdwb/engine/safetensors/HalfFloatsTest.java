package io.svdwb.engine.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** float32 to F16/BF16 conversion against bit patterns worked out by hand. */
class HalfFloatsTest {

    private static int f16(float f) {
        return HalfFloats.toF16(f) & 0xFFFF;
    }

    private static int bf16(float f) {
        return HalfFloats.toBF16(f) & 0xFFFF;
    }

    @Test
    void f16KnownValues() {
        assertThat(f16(1.0f)).isEqualTo(0x3C00);
        assertThat(f16(-2.0f)).isEqualTo(0xC000);
        assertThat(f16(65504f)).isEqualTo(0x7BFF); // largest finite half
        assertThat(f16(1f / 3)).isEqualTo(0x3555);
        assertThat(f16(-0.0f)).isEqualTo(0x8000);
        assertThat(f16(Float.POSITIVE_INFINITY)).isEqualTo(0x7C00);
        assertThat(f16(Float.NEGATIVE_INFINITY)).isEqualTo(0xFC00);
        assertThat(f16(0x1p-24f)).isEqualTo(0x0001); // smallest subnormal half
    }

    @Test
    void f16RoundsHalfwayToEven() {
        // 65520 lies exactly between 65504 (0x7BFF, odd) and 65536 (would be 0x7C00): ties go to even = Inf.
        assertThat(f16(65520f)).isEqualTo(0x7C00);
        // 1 + 2^-11 lies halfway between 0x3C00 (even) and 0x3C01: stays 0x3C00; 1 + 3*2^-11 goes up to 0x3C02.
        assertThat(f16(1f + 0x1p-11f)).isEqualTo(0x3C00);
        assertThat(f16(1f + 3 * 0x1p-11f)).isEqualTo(0x3C02);
    }

    @Test
    void bf16KnownValues() {
        assertThat(bf16(1.0f)).isEqualTo(0x3F80);
        assertThat(bf16(1f / 3)).isEqualTo(0x3EAB); // 0x3EAAAAAB: lower half 0xAAAB > 0x8000 rounds up
        assertThat(bf16(-0.0f)).isEqualTo(0x8000);
        assertThat(bf16(Float.POSITIVE_INFINITY)).isEqualTo(0x7F80);
        assertThat(bf16(Float.NEGATIVE_INFINITY)).isEqualTo(0xFF80);
        assertThat(bf16(Float.MAX_VALUE)).isEqualTo(0x7F80); // 0x7F7FFFFF rounds up past the largest bf16
        assertThat(bf16(Float.intBitsToFloat(0x00010000))).isEqualTo(0x0001); // a subnormal kept exactly
    }

    @Test
    void bf16RoundsHalfwayToEven() {
        assertThat(bf16(Float.intBitsToFloat(0x3F808000))).isEqualTo(0x3F80); // tie, 0x3F80 is even: down
        assertThat(bf16(Float.intBitsToFloat(0x3F818000))).isEqualTo(0x3F82); // tie, 0x3F81 is odd: up
        assertThat(bf16(Float.intBitsToFloat(0x3F808001))).isEqualTo(0x3F81); // above the tie: up
    }

    @Test
    void bf16KeepsNaNsNaN() {
        assertThat(bf16(Float.NaN)).isEqualTo(0x7FC0);
        // Payload only in the low 16 bits: plain truncation would give 0x7F80, which is +Inf.
        int lowPayloadNaN = bf16(Float.intBitsToFloat(0x7F800001));
        assertThat(Float.isNaN(HalfFloats.fromBF16((short) lowPayloadNaN))).isTrue();
        assertThat(Float.isNaN(HalfFloats.fromBF16(HalfFloats.toBF16(Float.intBitsToFloat(0xFFC00000))))).isTrue();
        assertThat(bf16(Float.intBitsToFloat(0xFFC00000)) & 0x8000).isEqualTo(0x8000); // sign kept
    }

    @Test
    void sixteenBitValuesSurviveARoundTripThroughFloat() {
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            short s = (short) bits;
            float viaBf16 = HalfFloats.fromBF16(s);
            float viaF16 = HalfFloats.fromF16(s);
            if (!Float.isNaN(viaBf16)) {
                assertThat(HalfFloats.toBF16(viaBf16)).as("bf16 0x%04X", bits).isEqualTo(s);
            }
            if (!Float.isNaN(viaF16)) {
                assertThat(HalfFloats.toF16(viaF16)).as("f16 0x%04X", bits).isEqualTo(s);
            }
        }
    }
}
