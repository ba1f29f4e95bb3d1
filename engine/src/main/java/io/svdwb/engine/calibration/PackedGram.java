package io.svdwb.engine.calibration;

import io.svdwb.engine.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A symmetric Gram matrix stored as its lower triangle, row by row ({@code G[0][0], G[1][0], G[1][1], G[2][0], ...}),
 * little-endian F64: half the bytes of the square, and exact, because the calibration's Grams are mirrored from their
 * lower triangle (LinearAlgebra.mirrorLowerToUpper). Streamed through one small buffer both ways, so a 0.97 GB Gram
 * never has a heap copy.
 */
final class PackedGram {

    /** Reads {@code chunk.remaining()} bytes of the packed data, starting at {@code byteOffset}, into {@code chunk}. */
    @FunctionalInterface
    interface ChunkReader {
        void read(long byteOffset, ByteBuffer chunk) throws IOException;
    }

    private static final int CHUNK_BYTES = 4 << 20;

    private final INDArray gram;

    /** @param gram a square DOUBLE array, dense in either order (a view is copied when written) */
    PackedGram(INDArray gram) {
        if (gram.rank() != 2 || gram.rows() != gram.columns()) {
            throw new IllegalArgumentException("a Gram matrix must be square, got " + java.util.Arrays.toString(gram.shape()));
        }
        this.gram = gram;
    }

    /** The packed length of an n x n matrix: n (n + 1) / 2. */
    static long length(long n) {
        return Math.multiplyExact(n, n + 1) / 2;
    }

    /** Streams the lower triangle to {@code sink}, 4 MB at a time. */
    void writeTo(SafetensorsWriter.ByteSink sink) throws IOException {
        boolean dense = !gram.isView() && gram.offset() == 0 && gram.data().length() == gram.length();
        INDArray source = dense ? gram : gram.dup('c');
        try {
            long n = source.rows();
            boolean rowMajor = source.ordering() == 'c';
            DoubleIndexer x = (DoubleIndexer) source.data().indexer();
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < n; i++) {
                for (long j = 0; j <= i; j++) {
                    if (!chunk.hasRemaining()) {
                        sink.write(chunk.flip());
                        chunk.clear();
                    }
                    double lower = x.get(rowMajor ? i * n + j : j * n + i);
                    // a Gram that is not exactly symmetric would not come back as it was: refuse it rather than guess
                    if (Double.doubleToRawLongBits(lower) != Double.doubleToRawLongBits(x.get(rowMajor ? j * n + i : i * n + j))) {
                        throw new IllegalArgumentException("a Gram matrix to store packed must be exactly symmetric; ("
                                + i + ", " + j + ") differs from (" + j + ", " + i + ")");
                    }
                    chunk.putDouble(lower);
                }
            }
            if (chunk.position() > 0) {
                sink.write(chunk.flip());
            }
        } finally {
            if (source != gram) {
                source.close();
            }
        }
    }

    /**
     * Fills a dense row-major ('c') n x n DOUBLE array from packed data: each value goes to (i, j) and (j, i).
     *
     * @param chunkBytes the read size, a multiple of 8
     */
    static void readInto(INDArray rowMajorGram, ChunkReader reader, long chunkBytes) throws IOException {
        long n = rowMajorGram.rows();
        long total = length(n) * Double.BYTES;
        DoubleIndexer x = (DoubleIndexer) rowMajorGram.data().indexer();
        ByteBuffer chunk = ByteBuffer.allocateDirect((int) Math.min(chunkBytes, Math.max(total, Double.BYTES)))
                .order(ByteOrder.LITTLE_ENDIAN);
        long i = 0;
        long j = 0;
        for (long done = 0; done < total; ) {
            int count = (int) Math.min(chunk.capacity(), total - done);
            chunk.clear().limit(count);
            reader.read(done, chunk);
            chunk.flip();
            while (chunk.hasRemaining()) {
                double v = chunk.getDouble();
                x.put(i * n + j, v);
                x.put(j * n + i, v);
                if (++j > i) {
                    i++;
                    j = 0;
                }
            }
            done += count;
        }
    }
}
