package io.svdwb.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svdwb.engine.files.JsonFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The architecture of a LLaMA-family checkpoint, read from its Hugging Face {@code config.json}.
 * Supported {@code model_type}s: llama, mistral, qwen2 (which adds biases to q/k/v).
 */
public record ModelConfig(
        String modelType,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int vocabSize,
        int maxPositionEmbeddings,
        double rmsNormEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        boolean tieWordEmbeddings,
        boolean attentionBias,
        boolean mlpBias,
        String hiddenAct) {

    public static final List<String> SUPPORTED_TYPES = List.of("llama", "mistral", "qwen2");

    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelConfig {
        if (hiddenSize <= 0 || intermediateSize <= 0 || numLayers <= 0 || numHeads <= 0 || numKvHeads <= 0
                || headDim <= 0 || vocabSize <= 0) {
            throw new IllegalArgumentException("config sizes must be positive");
        }
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + numHeads + ") is not a multiple of num_key_value_heads (" + numKvHeads + ")");
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim (" + headDim + ") must be even for rotary embeddings");
        }
    }

    /** Reads {@code dir/config.json}. */
    public static ModelConfig read(Path dir) throws ModelConfigException {
        Path file = dir.resolve("config.json");
        JsonNode root;
        try {
            if (!Files.exists(file)) {
                throw new NoSuchFileException(file.toString());
            }
            root = JsonFiles.read(file);
        } catch (NoSuchFileException e) {
            throw new ModelConfigException(file + ": not found (a Hugging Face model folder needs config.json)");
        } catch (IOException e) {
            // JsonFiles' one line: the file and the problem (folder, unreadable, or not JSON at line/column)
            throw new ModelConfigException(e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelConfigException(file + ": expected a JSON object");
        }
        return parse(root, file.toString());
    }

    static ModelConfig parse(JsonNode root, String source) throws ModelConfigException {
        String type = root.path("model_type").asText("");
        if (!SUPPORTED_TYPES.contains(type)) {
            throw new ModelConfigException(source + ": unsupported architecture model_type '" + type
                    + "'; supported: " + String.join(", ", SUPPORTED_TYPES));
        }
        try {
            int hidden = requiredInt(root, "hidden_size", source);
            int heads = requiredInt(root, "num_attention_heads", source);
            int kvHeads = root.hasNonNull("num_key_value_heads") ? requiredInt(root, "num_key_value_heads", source) : heads;
            int headDim = root.hasNonNull("head_dim") ? requiredInt(root, "head_dim", source) : hidden / heads;
            if (!root.hasNonNull("head_dim") && hidden % heads != 0) {
                throw new ModelConfigException(source + ": hidden_size " + hidden + " is not divisible by num_attention_heads " + heads + " and head_dim is not given");
            }
            String act = root.path("hidden_act").asText("silu");
            if (!act.equals("silu")) {
                throw new ModelConfigException(source + ": hidden_act '" + act + "' is not supported (only silu/SwiGLU)");
            }
            boolean attentionBias = type.equals("qwen2") || root.path("attention_bias").asBoolean(false);
            return new ModelConfig(type, hidden,
                    requiredInt(root, "intermediate_size", source),
                    requiredInt(root, "num_hidden_layers", source),
                    heads, kvHeads, headDim,
                    requiredInt(root, "vocab_size", source),
                    root.path("max_position_embeddings").asInt(2048),
                    root.path("rms_norm_eps").asDouble(1e-6),
                    root.path("rope_theta").asDouble(10000.0),
                    ropeScaling(root.get("rope_scaling"), source),
                    root.path("tie_word_embeddings").asBoolean(false),
                    attentionBias,
                    root.path("mlp_bias").asBoolean(false),
                    act);
        } catch (IllegalArgumentException e) {
            throw new ModelConfigException(source + ": " + e.getMessage(), e);
        }
    }

    private static int requiredInt(JsonNode root, String key, String source) throws ModelConfigException {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            throw new ModelConfigException(source + ": missing required field '" + key + "'");
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new ModelConfigException(source + ": field '" + key + "' must be an integer, got " + v);
        }
        return v.asInt();
    }

    private static RopeScaling ropeScaling(JsonNode node, String source) throws ModelConfigException {
        if (node == null || node.isNull()) {
            return RopeScaling.NONE;
        }
        String kind = node.has("rope_type") ? node.path("rope_type").asText() : node.path("type").asText();
        return switch (kind) {
            case "default", "" -> RopeScaling.NONE;
            case "linear" -> RopeScaling.linear(positive(node, "factor", source));
            case "llama3" -> RopeScaling.llama3(positive(node, "factor", source),
                    positive(node, "low_freq_factor", source), positive(node, "high_freq_factor", source),
                    (int) positive(node, "original_max_position_embeddings", source));
            default -> throw new ModelConfigException(source + ": rope_scaling type '" + kind
                    + "' is not supported; supported: none, linear, llama3");
        };
    }

    private static double positive(JsonNode node, String key, String source) throws ModelConfigException {
        JsonNode v = node.get(key);
        if (v == null || !v.isNumber() || v.asDouble() <= 0) {
            throw new ModelConfigException(source + ": rope_scaling." + key + " must be a positive number, got " + v);
        }
        return v.asDouble();
    }

    /** Output features of q_proj. */
    public int qDim() {
        return numHeads * headDim;
    }

    /** Output features of k_proj and v_proj (smaller than q under grouped-query attention). */
    public int kvDim() {
        return numKvHeads * headDim;
    }
}
