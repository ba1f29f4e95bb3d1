package io.svdwb.engine.safetensors;

import java.io.IOException;
import java.util.List;
import java.util.Map;

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

    /** The string metadata ({@code __metadata__}) of the file, or merged over shards. */
    Map<String, String> metadata();

    @Override
    void close() throws IOException;
}
