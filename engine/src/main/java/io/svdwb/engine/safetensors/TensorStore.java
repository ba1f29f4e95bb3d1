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
