package io.svdwb.engine.safetensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the weights of a Hugging Face model folder: one {@code model.safetensors} or a sharded index. */
public final class CheckpointFiles {

    public static final String SINGLE_FILE = "model.safetensors";
    public static final String SHARD_INDEX = "model.safetensors.index.json";

    private CheckpointFiles() {
    }

    public static TensorStore open(Path dir) throws IOException {
        Path single = dir.resolve(SINGLE_FILE);
        if (Files.exists(single)) {
            // a folder or an unreadable file under the weights' name is named as such, not as missing
            io.svdwb.engine.files.ReadableFiles.requireReadable(single, "a safetensors file");
            return SafetensorsFile.open(single);
        }
        Path index = dir.resolve(SHARD_INDEX);
        if (Files.exists(index)) {
            return ShardedCheckpoint.open(index);
        }
        throw new SafetensorsException(dir, "no " + SINGLE_FILE + " or " + SHARD_INDEX + " in this folder");
    }
}
