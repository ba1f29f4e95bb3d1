package io.svdwb.engine.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;

/** Writes float32 values to a channel as little-endian F32, F16, BF16 or F64, a bounded chunk at a time. */
final class TensorEncoder {

    private static final int CHUNK_BYTES = 1 << 20;

    private TensorEncoder() {
    }

    static void writeFloats(WritableByteChannel out, DType dtype, float[] values) throws IOException {
        if (dtype == DType.I8) {
            throw new IllegalArgumentException("I8 tensors hold integer codes: write their bytes with addRaw, not floats");
        }
        int perChunk = CHUNK_BYTES / dtype.byteSize();
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, (long) values.length * dtype.byteSize()))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < values.length; start += perChunk) {
            int end = Math.min(values.length, start + perChunk);
            chunk.clear();
            for (int i = start; i < end; i++) {
                switch (dtype) {
                    case F32 -> chunk.putFloat(values[i]);
                    case F16 -> chunk.putShort(HalfFloats.toF16(values[i]));
                    case BF16 -> chunk.putShort(HalfFloats.toBF16(values[i]));
                    case F64 -> chunk.putDouble(values[i]);
                    case I8 -> throw new AssertionError("refused above");
                }
            }
            writeFully(out, chunk.flip());
        }
    }

    static void writeFully(WritableByteChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }
}
