package io.svdwb.engine.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reading a whole tensor straight into native memory (the streamed weights' path) gives exactly what the heap reader
 * gives, in every stored type and across several read windows and decode slices, and counts the NaN and infinite
 * values planted in it.
 */
class ReadIntoNativeMemoryTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16", "F64"})
    void equalsTheHeapReaderAndCountsNonFiniteValues(DType dtype) throws Exception {
        int n = 300_001; // several decode slices of 16,384 and a ragged tail
        float[] values = new float[n];
        Random random = new Random(7);
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        values[5] = Float.NaN;
        values[70_000] = Float.POSITIVE_INFINITY;
        values[n - 1] = Float.NEGATIVE_INFINITY;
        Path file = dir.resolve("t.safetensors");
        SafetensorsWriter.to(file).addFloats("w", dtype, new long[] {n}, values).write();
        try (SafetensorsFile store = SafetensorsFile.open(file)) {
            float[] heap = store.readFloats("w");
            FloatBuffer target = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
            long nonFinite = store.readFloatsCountingNonFinite("w", target);
            float[] direct = new float[n];
            target.get(0, direct);
            assertThat(direct).containsExactly(heap);
            assertThat(nonFinite).isEqualTo(3);
        }
    }
}
