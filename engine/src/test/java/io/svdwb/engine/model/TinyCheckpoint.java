package io.svdwb.engine.model;

import io.svdwb.engine.safetensors.DType;
import io.svdwb.engine.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Writes small random LLaMA checkpoints (hidden 8, GQA 2/1 heads, 2 layers, vocabulary 16, or a given config) for
 * model-level tests. Public for the tests of other packages (e.g. soco) that need a model of their own size.
 */
public final class TinyCheckpoint {

    static final String CONFIG = """
            {"model_type":"llama","hidden_size":8,"intermediate_size":12,"num_hidden_layers":2,
             "num_attention_heads":2,"num_key_value_heads":1,"vocab_size":16,"max_position_embeddings":32,
             "tie_word_embeddings":%s}""";

    private TinyCheckpoint() {
    }

    /** Writes the checkpoint; {@code edit} may drop or reshape entries of the tensor map before writing. */
    static Path write(Path dir, boolean tied, UnaryOperator<Map<String, long[]>> edit) throws IOException {
        return write(dir, tied, edit, null);
    }

    /** As {@link #write(Path, boolean, UnaryOperator)}, with one NaN planted in {@code poisoned} (if not null). */
    static Path write(Path dir, boolean tied, UnaryOperator<Map<String, long[]>> edit, String poisoned) throws IOException {
        return write(dir, CONFIG.formatted(tied), edit, poisoned);
    }

    /** A checkpoint with the given {@code config.json} text and uniform random weights in [-0.5, 0.5) (seed 3). */
    public static Path write(Path dir, String configJson) throws IOException {
        return write(dir, configJson, UnaryOperator.identity(), null);
    }

    private static Path write(Path dir, String configJson, UnaryOperator<Map<String, long[]>> edit, String poisoned) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), configJson);
        ModelConfig config = ModelConfig.read(dir);
        boolean tied = config.tieWordEmbeddings();
        Map<String, long[]> tensors = edit.apply(new java.util.LinkedHashMap<>(Checkpoint.expectedTensors(config, !tied)));
        SafetensorsWriter writer = SafetensorsWriter.to(dir.resolve("model.safetensors"));
        SplittableRandom random = new SplittableRandom(3);
        for (Map.Entry<String, long[]> e : tensors.entrySet()) {
            long n = 1;
            for (long d : e.getValue()) {
                n *= d;
            }
            float[] values = new float[(int) n];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextDouble() - 0.5);
            }
            if (e.getKey().equals(poisoned)) {
                values[values.length / 2] = Float.NaN;
            }
            writer.addFloats(e.getKey(), DType.F32, e.getValue(), values);
        }
        writer.write();
        return dir;
    }
}
