package io.svdwb.engine.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write, read back, compare bit for bit, for every dtype and the awkward values (NaN, ±Inf, subnormals, -0). */
class SafetensorsRoundTripTest {

    @TempDir
    Path dir;

    private static final float[] AWKWARD_FLOATS = {
        0f, -0f, 1f, -1f, Float.NaN, Float.intBitsToFloat(0x7FC12345), Float.intBitsToFloat(0xFFC00001),
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
        Float.MAX_VALUE, -Float.MAX_VALUE, 1f / 3,
    };

    /** F16: ±0, 1, ±Inf, quiet and signalling NaN, smallest and largest subnormal, largest finite. */
    private static final short[] AWKWARD_F16 = shorts(0x0000, 0x8000, 0x3C00, 0x7C00, 0xFC00, 0x7E00, 0x7D01,
            0xFE00, 0x0001, 0x03FF, 0x8001, 0x7BFF);

    /** BF16: the same roles in bfloat16's layout. */
    private static final short[] AWKWARD_BF16 = shorts(0x0000, 0x8000, 0x3F80, 0x7F80, 0xFF80, 0x7FC0, 0x7F81,
            0xFFC0, 0x0001, 0x007F, 0x8001, 0x7F7F, 0x3EAB);

    @Test
    void f32FloatsRoundTripBitForBit() throws IOException {
        Path file = dir.resolve("f32.safetensors");
        SafetensorsWriter.to(file).addFloats("x", DType.F32, new long[] {AWKWARD_FLOATS.length}, AWKWARD_FLOATS).write();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.readRaw("x")).isEqualTo(Fixtures.floatsLE(AWKWARD_FLOATS));
            float[] back = f.readFloats("x");
            for (int i = 0; i < back.length; i++) {
                assertThat(Float.floatToRawIntBits(back[i])).as("element %d", i)
                        .isEqualTo(Float.floatToRawIntBits(AWKWARD_FLOATS[i]));
            }
        }
    }

    @Test
    void f16RawBitsRoundTripAndDecode() throws IOException {
        try (SafetensorsFile f = writeRaw(DType.F16, AWKWARD_F16)) {
            assertThat(f.readRaw("x")).isEqualTo(shortsLE(AWKWARD_F16));
            float[] back = f.readFloats("x");
            assertThat(back).containsExactly(0f, -0f, 1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
                    Float.NaN, Float.NaN, 0x1p-24f, 1023 * 0x1p-24f, -0x1p-24f, 65504f);
            assertThat(Float.floatToRawIntBits(back[1])).isEqualTo(0x80000000);
        }
    }

    @Test
    void bf16RawBitsRoundTripAndDecodeExactly() throws IOException {
        try (SafetensorsFile f = writeRaw(DType.BF16, AWKWARD_BF16)) {
            assertThat(f.readRaw("x")).isEqualTo(shortsLE(AWKWARD_BF16));
            float[] back = f.readFloats("x");
            for (int i = 0; i < back.length; i++) {
                float expected = Float.intBitsToFloat((AWKWARD_BF16[i] & 0xFFFF) << 16);
                // bf16 -> float32 is a 16-bit shift, so even NaN payloads come back exactly.
                assertThat(Float.floatToRawIntBits(back[i])).as("element %d", i)
                        .isEqualTo(Float.floatToRawIntBits(expected));
            }
        }
    }

    @Test
    void floatsAreConvertedToF16AndBF16WhenWritten() throws IOException {
        Path file = dir.resolve("conv.safetensors");
        SafetensorsWriter.to(file)
                .addFloats("h", DType.F16, new long[] {3}, new float[] {1f, 65504f, 1f / 3})
                .addFloats("b", DType.BF16, new long[] {3}, new float[] {1f, 1f / 3, Float.NaN})
                .write();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.readRaw("h")).isEqualTo(shortsLE(shorts(0x3C00, 0x7BFF, 0x3555)));
            assertThat(f.readRaw("b")).isEqualTo(shortsLE(shorts(0x3F80, 0x3EAB, 0x7FC0)));
            assertThat(f.readFloats("h")).containsExactly(1f, 65504f, 0.333251953125f);
        }
    }

    /** F64 carries double-precision statistics (calibration Gram matrices): raw bits survive, floats narrow. */
    @Test
    void f64RawBitsRoundTripAndNarrowToFloat() throws IOException {
        double[] values = {0d, -0d, 1d / 3, Math.PI * 1e12, Double.MIN_VALUE, -Double.MAX_VALUE, Double.NaN,
            Double.POSITIVE_INFINITY, Double.longBitsToDouble(0x7FF0000000000ABCL)};
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            bytes.putDouble(v);
        }
        Path file = dir.resolve("f64.safetensors");
        SafetensorsWriter.to(file).addRaw("x", DType.F64, new long[] {values.length}, bytes::array).write();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.info("x").dtype()).isEqualTo(DType.F64);
            assertThat(f.readRaw("x")).isEqualTo(bytes.array());
            float[] narrowed = f.readFloats("x");
            for (int i = 0; i < values.length; i++) {
                assertThat(Float.floatToIntBits(narrowed[i])).as("element %d", i).isEqualTo(Float.floatToIntBits((float) values[i]));
            }
        }
        Path converted = dir.resolve("f64-from-floats.safetensors");
        SafetensorsWriter.to(converted).addFloats("y", DType.F64, new long[] {2}, new float[] {1f / 3, -2.5f}).write();
        try (SafetensorsFile f = SafetensorsFile.open(converted)) {
            ByteBuffer raw = ByteBuffer.wrap(f.readRaw("y")).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(raw.getDouble()).isEqualTo((double) (1f / 3));
            assertThat(raw.getDouble()).isEqualTo(-2.5d);
        }
    }

    @Test
    void rawCopyBetweenFilesIsBitExact() throws IOException {
        try (SafetensorsFile source = writeRaw(DType.BF16, AWKWARD_BF16)) {
            Path copy = dir.resolve("copy.safetensors");
            SafetensorsWriter.to(copy).addRaw("y", DType.BF16, source.info("x").shape(), () -> source.readRaw("x")).write();
            try (SafetensorsFile f = SafetensorsFile.open(copy)) {
                assertThat(f.readRaw("y")).isEqualTo(source.readRaw("x"));
            }
        }
    }

    private SafetensorsFile writeRaw(DType dtype, short[] values) throws IOException {
        Path file = dir.resolve(dtype + ".safetensors");
        SafetensorsWriter.to(file).addRaw("x", dtype, new long[] {values.length}, () -> shortsLE(values)).write();
        return SafetensorsFile.open(file);
    }

    static short[] shorts(int... bits) {
        short[] out = new short[bits.length];
        for (int i = 0; i < bits.length; i++) {
            out[i] = (short) bits[i];
        }
        return out;
    }

    static byte[] shortsLE(short[] values) {
        ByteBuffer out = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : values) {
            out.putShort(v);
        }
        return out.array();
    }

    /**
     * Every 16-bit pattern, F16 and BF16, read back through readFloats in one call large enough for the parallel
     * decoder (65,536 elements and more), starting at an odd element: each float equals the scalar conversion.
     */
    @Test
    void everySixteenBitPatternDecodesAsTheScalarConversionInTheParallelPath() throws IOException {
        short[] patterns = new short[1 << 17]; // every pattern twice
        for (int i = 0; i < patterns.length; i++) {
            patterns[i] = (short) i;
        }
        byte[] raw = new byte[patterns.length * 2];
        java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(patterns);
        for (DType dtype : new DType[] {DType.F16, DType.BF16}) {
            Path file = dir.resolve(dtype + "-all.safetensors");
            SafetensorsWriter.to(file).addRaw("x", dtype, new long[] {patterns.length}, () -> raw).write();
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                float[] got = new float[patterns.length - 1];
                f.readFloats("x", 1, got, 0, got.length);
                for (int i = 0; i < got.length; i++) {
                    short bits = patterns[i + 1];
                    float expected = dtype == DType.F16 ? HalfFloats.fromF16(bits) : HalfFloats.fromBF16(bits);
                    if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(expected)) {
                        org.assertj.core.api.Assertions.fail(dtype + " pattern 0x%04x gave %s, expected %s", bits & 0xFFFF, got[i], expected);
                    }
                }
            }
        }
    }
}
