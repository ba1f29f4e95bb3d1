package io.svdwb.engine.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files and tensors beyond what one mapping or one array can hold (rule 15). The big tensor is a sparse
 * hole, so the 4 GiB file costs no disk space and no time.
 */
class SafetensorsLargeFileTest {

    private static final long BIG_ELEMENTS = (1L << 31) + 8; // BF16: 4 GiB + 16 bytes, more than an array holds
    private static final long BIG_BYTES = BIG_ELEMENTS * 2;

    @TempDir
    Path dir;

    @Test
    void smallTensorAfterTheFourGibMarkReadsExactly() throws IOException {
        Path file = sparseFile();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.info("small").dataStart()).isGreaterThan(1L << 32);
            assertThat(f.readFloats("small")).containsExactly(1.5f, -2f, 1e-30f, 3e30f);
            assertThat(f.readRaw("small")).isEqualTo(Fixtures.floatsLE(1.5f, -2f, 1e-30f, 3e30f));
        }
    }

    @Test
    void wholeTensorTooBigForAnArrayGivesAClearError() throws IOException {
        Path file = sparseFile();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThatThrownBy(() -> f.readFloats("big")).isInstanceOf(SafetensorsException.class)
                    .hasMessage(file + ": tensor 'big' has 2147483656 elements, more than a Java array can hold"
                            + " (2147483639); read it in parts with readFloats(name, firstElement, dst, dstOffset, count)");
            assertThatThrownBy(() -> f.readRaw("big")).isInstanceOf(SafetensorsException.class)
                    .hasMessage(file + ": tensor 'big' has 4294967312 bytes, more than a Java array can hold (2147483639)");
        }
    }

    @Test
    void partOfAHugeTensorBeyondTwoGibReadsExactly() throws IOException {
        Path file = sparseFile();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            float[] dst = new float[8];
            f.readFloats("big", (1L << 31) - 2, dst, 1, 6);
            // Elements 2^31 and 2^31+1 hold bf16 1.0 and -2.0; the rest of the hole reads as zeros.
            assertThat(dst).containsExactly(0f, 0f, 0f, 1f, -2f, 0f, 0f, 0f);
            assertThatThrownBy(() -> f.readFloats("big", BIG_ELEMENTS - 1, dst, 0, 2))
                    .isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("tensor 'big' has 2147483656 elements; cannot read 2 from element 2147483655");
        }
    }

    @Test
    void readsSpanningSeveralMappingWindowsAreStitchedTogether() throws IOException {
        float[] values = new float[1000];
        float[] bf16Exact = new float[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f - 7;
            bf16Exact[i] = (i % 64) * 0.5f - 7; // at most 6 significant bits: exact in bf16's 8-bit significand
        }
        Path file = dir.resolve("windows.safetensors");
        SafetensorsWriter.to(file).addFloats("f32", DType.F32, new long[] {10, 100}, values)
                .addFloats("bf16", DType.BF16, new long[] {1000}, bf16Exact).write();
        try (SafetensorsFile f = SafetensorsFile.open(file, 24)) { // 6 floats or 12 bf16 per window
            assertThat(f.readFloats("f32")).containsExactly(values);
            assertThat(f.readFloats("bf16")).containsExactly(bf16Exact);
            float[] part = new float[13];
            f.readFloats("f32", 995, part, 10, 3);
            assertThat(part).endsWith(values[995], values[996], values[997]);
        }
    }

    /** [big: BF16 hole of 4 GiB + 16 bytes with two values past 2^31 elements][small: 4 floats]. */
    private Path sparseFile() throws IOException {
        String header = "{\"big\":{\"dtype\":\"BF16\",\"shape\":[" + BIG_ELEMENTS + "],\"data_offsets\":[0," + BIG_BYTES
                + "]},\"small\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[" + BIG_BYTES + "," + (BIG_BYTES + 16) + "]}}";
        byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
        long dataStart = 8 + headerBytes.length;
        Path file = dir.resolve("big.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(Fixtures.lengthPrefix(headerBytes.length));
            raf.write(headerBytes);
            raf.seek(dataStart + (1L << 32)); // element 2^31 of the bf16 tensor
            raf.write(SafetensorsRoundTripTest.shortsLE(SafetensorsRoundTripTest.shorts(0x3F80, 0xC000)));
            raf.seek(dataStart + BIG_BYTES);
            raf.write(Fixtures.floatsLE(1.5f, -2f, 1e-30f, 3e30f));
        }
        assertThat(Files.size(file)).isEqualTo(dataStart + BIG_BYTES + 16);
        return file;
    }
}
