package io.svdwb.engine.safetensors;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Named tensors that can be read one at a time without loading the rest: a single safetensors file or a
 * sharded checkpoint. Reading converts F16/BF16 to float32.
 */
public interface TensorStore extends AutoCloseable {

    /** Tensor names in file order. */
    List<String> names();

    boolean contains(String name);

    /** The header entry of {@code name}; throws {@link IllegalArgumentException} if absent. */
    TensorInfo info(String name);

    /** The tensor's elements in row-major order, converted to float32. */
    float[] readFloats(String name) throws IOException;

    /**
     * Elements {@code [firstElement, firstElement + count)} of the tensor (row-major), converted to float32,
     * into {@code dst[dstOffset...]}: the way to read a tensor too big for one array. The default reads the
     * whole tensor; file-backed stores override it to read only the part asked for.
     */
    default void readFloats(String name, long firstElement, float[] dst, int dstOffset, int count) throws IOException {
        Objects.checkFromIndexSize(dstOffset, count, dst.length);
        float[] all = readFloats(name);
        Objects.checkFromIndexSize(firstElement, count, all.length);
        System.arraycopy(all, (int) firstElement, dst, dstOffset, count);
    }

    /**
     * The whole tensor converted to float32 into {@code dst} (from its index 0; native memory, e.g. an off-heap array's),
     * returning how many of the values are NaN or infinite: a weight is read and checked in one pass. The default goes
     * through a heap chunk; file-backed stores decode straight into {@code dst}.
     */
    default long readFloatsCountingNonFinite(String name, java.nio.FloatBuffer dst) throws IOException {
        long total = info(name).elementCount();
        if (total > dst.capacity()) {
            throw new IllegalArgumentException(name + " has " + total + " elements, the buffer holds " + dst.capacity());
        }
        float[] chunk = new float[(int) Math.min(1 << 20, Math.max(1, total))];
        long nonFinite = 0;
        for (long first = 0; first < total; first += chunk.length) {
            int count = (int) Math.min(chunk.length, total - first);
            readFloats(name, first, chunk, 0, count);
            nonFinite += HalfFloats.countNonFinite(chunk, 0, count);
            dst.put((int) first, chunk, 0, count);
        }
        return nonFinite;
    }

    /**
     * The tensor's bytes exactly as stored (little-endian, in its own dtype). Stores that do not keep the
     * stored bytes (e.g. in-memory test doubles) leave this unsupported.
     */
    default byte[] readRaw(String name) throws IOException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not expose raw tensor bytes");
    }

    /** The string metadata ({@code __metadata__}) of the file, or merged over shards. */
    Map<String, String> metadata();

    @Override
    void close() throws IOException;
}
