package io.svdwb.engine.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svdwb.engine.model.Checkpoint;
import io.svdwb.engine.model.ModelConfig;
import io.svdwb.engine.model.RopeScaling;
import io.svdwb.engine.progress.ProgressListener;
import io.svdwb.engine.safetensors.DType;
import io.svdwb.engine.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a synthetic Hugging Face checkpoint with real model shapes (LLaMA-7B by default) and random
 * weights, sharded as transformers does, for benchmarks that must not depend on downloading a model:
 * e.g. proving that a model larger than the heap is inspected and run one layer at a time.
 * Weights are uniform in ±sqrt(3 / in), i.e. variance 1/in, so activations keep their scale.
 */
public final class SyntheticCheckpoint {

    /** LLaMA-7B (hidden 4096, MLP 11008, 32 layers, 32 heads, vocabulary 32000). */
    public static ModelConfig llama7b(int layers) {
        return new ModelConfig("llama", 4096, 11008, layers, 32, 32, 128, 32000, 2048, 1e-6, 10000.0,
                RopeScaling.NONE, false, false, false, "silu");
    }

    private SyntheticCheckpoint() {
    }

    /**
     * Writes {@code config.json}, the shards and {@code model.safetensors.index.json} into {@code dir}.
     * A tensor is generated only when its shard is written, so memory stays near one tensor.
     */
    public static void write(ModelConfig c, Path dir, DType dtype, int layersPerShard, long seed, ProgressListener progress)
            throws IOException {
        Files.createDirectories(dir);
        Map<String, long[]> tensors = Checkpoint.expectedTensors(c, true);
        List<List<String>> shards = planShards(c, tensors, layersPerShard);
        Map<String, String> weightMap = new LinkedHashMap<>();
        long totalBytes = 0;
        progress.begin("writing synthetic checkpoint", shards.size());
        for (int s = 0; s < shards.size(); s++) {
            progress.throwIfCancelled();
            String file = String.format("model-%05d-of-%05d.safetensors", s + 1, shards.size());
            SafetensorsWriter writer = SafetensorsWriter.to(dir.resolve(file));
            for (String name : shards.get(s)) {
                long[] shape = tensors.get(name);
                writer.addFloats(name, dtype, shape, () -> values(name, shape, seed));
                weightMap.put(name, file);
                totalBytes += elements(shape) * dtype.byteSize();
            }
            writer.write();
            progress.advanceTo(s + 1);
        }
        progress.end();
        ObjectMapper json = new ObjectMapper();
        ObjectNode index = json.createObjectNode();
        index.putObject("metadata").put("total_size", totalBytes);
        ObjectNode map = index.putObject("weight_map");
        weightMap.forEach(map::put);
        json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("model.safetensors.index.json").toFile(), index);
        json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), configJson(json, c, dtype));
    }

    private static List<List<String>> planShards(ModelConfig c, Map<String, long[]> tensors, int layersPerShard) {
        List<List<String>> shards = new ArrayList<>();
        List<String> current = new ArrayList<>();
        int layerOfShard = -1;
        for (String name : tensors.keySet()) {
            int layer = layerOf(name);
            if (layer >= 0 && layer / layersPerShard != layerOfShard && !current.isEmpty() && layerOfShard >= 0) {
                shards.add(current);
                current = new ArrayList<>();
            }
            if (layer >= 0) {
                layerOfShard = layer / layersPerShard;
            }
            current.add(name);
        }
        shards.add(current);
        return shards;
    }

    private static int layerOf(String name) {
        if (!name.startsWith("model.layers.")) {
            return -1;
        }
        int end = name.indexOf('.', "model.layers.".length());
        return Integer.parseInt(name.substring("model.layers.".length(), end));
    }

    private static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    private static float[] values(String name, long[] shape, long seed) {
        float[] out = new float[Math.toIntExact(elements(shape))];
        if (shape.length == 1) {
            java.util.Arrays.fill(out, 1f);
            return out;
        }
        SplittableRandom random = new SplittableRandom(seed ^ name.hashCode());
        float bound = (float) Math.sqrt(3.0 / shape[1]);
        for (int i = 0; i < out.length; i++) {
            out[i] = (random.nextFloat() * 2 - 1) * bound;
        }
        return out;
    }

    private static ObjectNode configJson(ObjectMapper json, ModelConfig c, DType dtype) {
        ObjectNode o = json.createObjectNode();
        o.putArray("architectures").add("LlamaForCausalLM");
        o.put("model_type", c.modelType());
        o.put("hidden_size", c.hiddenSize());
        o.put("intermediate_size", c.intermediateSize());
        o.put("num_hidden_layers", c.numLayers());
        o.put("num_attention_heads", c.numHeads());
        o.put("num_key_value_heads", c.numKvHeads());
        o.put("head_dim", c.headDim());
        o.put("vocab_size", c.vocabSize());
        o.put("max_position_embeddings", c.maxPositionEmbeddings());
        o.put("rms_norm_eps", c.rmsNormEps());
        o.put("rope_theta", c.ropeTheta());
        o.putNull("rope_scaling");
        o.put("hidden_act", c.hiddenAct());
        o.put("tie_word_embeddings", c.tieWordEmbeddings());
        o.put("torch_dtype", dtype == DType.F16 ? "float16" : dtype == DType.BF16 ? "bfloat16" : "float32");
        o.put("bos_token_id", 1);
        o.put("eos_token_id", 2);
        return o;
    }
}
