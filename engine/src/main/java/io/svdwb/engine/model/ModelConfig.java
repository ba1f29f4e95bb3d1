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
 * Supported {@code model_type}s: llama, mistral, qwen2 (which adds biases to q/k/v) and qwen3 (per-head
 * RMSNorm on q and k). Every key read, and every key refused, is listed in docs/CONFIG.md.
 *
 * @param slidingWindow the attention window of the layers that have one, 0 when no layer does; the engine
 *                      runs only sequences that fit in it, where the window changes nothing
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
        String hiddenAct,
        int slidingWindow) {

    public static final List<String> SUPPORTED_TYPES = List.of("llama", "mistral", "qwen2", "qwen3");

    /** Qwen3Config's head_dim when config.json omits it (not hidden_size / heads). */
    static final int QWEN3_DEFAULT_HEAD_DIM = 128;

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
        if (slidingWindow < 0) {
            throw new IllegalArgumentException("sliding_window must be positive, got " + slidingWindow);
        }
        if ((long) numHeads * headDim > Integer.MAX_VALUE || (long) vocabSize * hiddenSize > Integer.MAX_VALUE
                || (long) intermediateSize * hiddenSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sizes too large: a weight matrix would exceed 2^31 elements (hidden_size "
                    + hiddenSize + ", intermediate_size " + intermediateSize + ", vocab_size " + vocabSize + ", "
                    + numHeads + " heads x head_dim " + headDim + ")");
        }
    }

    /** Without a sliding window (the form every caller outside config.json reading uses). */
    public ModelConfig(String modelType, int hiddenSize, int intermediateSize, int numLayers, int numHeads, int numKvHeads,
                       int headDim, int vocabSize, int maxPositionEmbeddings, double rmsNormEps, double ropeTheta,
                       RopeScaling ropeScaling, boolean tieWordEmbeddings, boolean attentionBias, boolean mlpBias,
                       String hiddenAct) {
        this(modelType, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim, vocabSize,
                maxPositionEmbeddings, rmsNormEps, ropeTheta, ropeScaling, tieWordEmbeddings, attentionBias, mlpBias,
                hiddenAct, 0);
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
        ConfigFields f = new ConfigFields(root, source, "");
        String type = f.optionalString("model_type", "");
        if (!SUPPORTED_TYPES.contains(type)) {
            throw new ModelConfigException(source + ": unsupported architecture model_type '" + type
                    + "'; supported: " + String.join(", ", SUPPORTED_TYPES));
        }
        int hidden = f.requiredInt("hidden_size", 1);
        int heads = f.requiredInt("num_attention_heads", 1);
        int kvHeads = f.optionalInt("num_key_value_heads", heads, 1);
        int headDim;
        if (f.has("head_dim")) {
            headDim = f.requiredInt("head_dim", 2);
        } else if (type.equals("qwen3")) {
            headDim = QWEN3_DEFAULT_HEAD_DIM;
        } else if (hidden % heads != 0) {
            throw new ModelConfigException(source + ": hidden_size " + hidden + " is not divisible by num_attention_heads "
                    + heads + " and head_dim is not given");
        } else {
            headDim = hidden / heads;
        }
        String act = f.optionalString("hidden_act", "silu");
        if (!act.equals("silu") && !act.equals("swish")) {
            throw f.error("hidden_act", "'" + act + "' is not supported (only silu, also spelled swish: the SwiGLU MLP)");
        }
        int maxPositions = f.optionalInt("max_position_embeddings", defaultMaxPositions(type), 2);
        RopeConfigReader.Rope rope = RopeConfigReader.read(f, maxPositions);
        try {
            return new ModelConfig(type, hidden,
                    f.requiredInt("intermediate_size", 1),
                    f.requiredInt("num_hidden_layers", 1),
                    heads, kvHeads, headDim,
                    f.requiredInt("vocab_size", 1),
                    maxPositions,
                    f.optionalDouble("rms_norm_eps", 1e-6, 0),
                    rope.theta(),
                    rope.scaling(),
                    f.optionalBoolean("tie_word_embeddings", false),
                    attentionBias(f, type),
                    mlpBias(f, type),
                    "silu",
                    SlidingWindowReader.read(f, type));
        } catch (IllegalArgumentException e) {
            throw new ModelConfigException(source + ": " + e.getMessage(), e);
        }
    }

    /** transformers' config defaults: llama 2048, mistral 131072, qwen2 and qwen3 32768. */
    private static int defaultMaxPositions(String type) {
        return switch (type) {
            case "mistral" -> 4096 * 32;
            case "qwen2", "qwen3" -> 32768;
            default -> 2048;
        };
    }

    /**
     * Whether q/k/v (and o, except qwen2) carry biases, as each family's modeling file builds them: llama and
     * qwen3 read attention_bias; qwen2 always has q/k/v biases; mistral never has any (it ignores the key).
     */
    private static boolean attentionBias(ConfigFields f, String type) throws ModelConfigException {
        boolean configured = f.optionalBoolean("attention_bias", false);
        return switch (type) {
            case "qwen2" -> true;
            case "mistral" -> false;
            default -> configured;
        };
    }

    /** Only llama's MLP reads mlp_bias; the other families build it without biases. */
    private static boolean mlpBias(ConfigFields f, String type) throws ModelConfigException {
        boolean configured = f.optionalBoolean("mlp_bias", false);
        return type.equals("llama") && configured;
    }

    /** Whether q and k get a per-head RMSNorm (q_norm, k_norm) before the rotation: Qwen3. */
    public boolean hasQueryKeyNorm() {
        return modelType.equals("qwen3");
    }

    /**
     * Throws if a batch of {@code seqLen} positions needs math the engine does not implement: a sliding
     * attention window shorter than the sequence, or dynamic NTK rotary scaling beyond its original length.
     */
    public void requireSupportedSequenceLength(int seqLen) {
        if (slidingWindow > 0 && seqLen > slidingWindow) {
            throw new IllegalArgumentException("sequences of " + seqLen + " tokens exceed the config's sliding_window "
                    + slidingWindow + ", and sliding-window attention is not implemented (use --ctx " + slidingWindow + " or less)");
        }
        if (seqLen > ropeScaling.maxSequenceLength()) {
            throw new IllegalArgumentException("sequences of " + seqLen + " tokens exceed " + ropeScaling.maxSequenceLength()
                    + ", beyond which rope_type dynamic changes the frequencies (not implemented)");
        }
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
