package io.svdwb.engine.model;

import io.svdwb.engine.linalg.LinearAlgebra;
import java.util.EnumMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import io.svdwb.engine.tensor.NdArrays;

/**
 * One LLaMA decoder block: pre-norm causal self-attention with grouped-query heads and rotary
 * positions, then a pre-norm SwiGLU MLP, each added to the residual stream. Qwen3 adds a per-head
 * RMSNorm on q and k (q_norm, k_norm, one weight of head_dim each) between the projection and the rotation.
 */
public final class DecoderLayer {

    private final ModelConfig config;
    private final float[] inputNorm;
    private final float[] postAttentionNorm;
    private final float[] queryNorm;
    private final float[] keyNorm;
    private final Map<ProjectionKind, Linear> projections;
    private final LinearAlgebra linalg;

    public DecoderLayer(ModelConfig config, float[] inputNorm, float[] postAttentionNorm,
                        Map<ProjectionKind, Linear> projections, LinearAlgebra linalg) {
        this(config, inputNorm, postAttentionNorm, null, null, projections, linalg);
    }

    /**
     * @param queryNorm q_norm's weight [headDim] when {@link ModelConfig#hasQueryKeyNorm()}, else null
     * @param keyNorm   k_norm's weight [headDim] when {@link ModelConfig#hasQueryKeyNorm()}, else null
     */
    public DecoderLayer(ModelConfig config, float[] inputNorm, float[] postAttentionNorm, float[] queryNorm,
                        float[] keyNorm, Map<ProjectionKind, Linear> projections, LinearAlgebra linalg) {
        if (config.hasQueryKeyNorm() != (queryNorm != null) || config.hasQueryKeyNorm() != (keyNorm != null)) {
            throw new IllegalArgumentException(config.modelType() + (config.hasQueryKeyNorm()
                    ? " needs q_norm and k_norm weights" : " has no q_norm/k_norm"));
        }
        for (ProjectionKind kind : ProjectionKind.values()) {
            Linear p = projections.get(kind);
            if (p == null) {
                throw new IllegalArgumentException("decoder layer lacks " + kind.modulePath());
            }
            if (p.inFeatures() != kind.inFeatures(config) || p.outFeatures() != kind.outFeatures(config)) {
                throw new IllegalArgumentException(kind.modulePath() + " maps " + p.inFeatures() + " -> " + p.outFeatures()
                        + " features, the config needs " + kind.inFeatures(config) + " -> " + kind.outFeatures(config));
            }
        }
        this.config = config;
        this.inputNorm = inputNorm;
        this.postAttentionNorm = postAttentionNorm;
        this.queryNorm = queryNorm;
        this.keyNorm = keyNorm;
        this.projections = new EnumMap<>(projections);
        this.linalg = linalg;
    }

    public Linear projection(ProjectionKind kind) {
        return projections.get(kind);
    }

    public ModelConfig config() {
        return config;
    }

    /** input_layernorm's weight [hiddenSize]; not to be modified. */
    public float[] inputNorm() {
        return inputNorm;
    }

    /** post_attention_layernorm's weight [hiddenSize]; not to be modified. */
    public float[] postAttentionNorm() {
        return postAttentionNorm;
    }

    /** q_norm's weight [headDim], or null for architectures without it; not to be modified. */
    public float[] queryNorm() {
        return queryNorm;
    }

    /** k_norm's weight [headDim], or null; not to be modified. */
    public float[] keyNorm() {
        return keyNorm;
    }

    /**
     * This block with some projections swapped, sharing everything else (norms, other projections);
     * this block itself is unchanged. Lets a caller try a replacement without installing it in the model.
     */
    public DecoderLayer withProjections(Map<ProjectionKind, Linear> substitutes) {
        if (substitutes.isEmpty()) {
            return this;
        }
        Map<ProjectionKind, Linear> merged = new EnumMap<>(projections);
        merged.putAll(substitutes);
        return new DecoderLayer(config, inputNorm, postAttentionNorm, queryNorm, keyNorm, merged, linalg);
    }

    /**
     * Runs the block on the residual stream {@code hidden} [sequences * seqLen, hiddenSize] (row-major),
     * updating it in place. Sequences are independent; each starts at position 0.
     */
    public void forward(float[] hidden, int sequences, int seqLen, RotaryEmbedding rope) {
        forward(hidden, sequences, seqLen, rope, -1, ProjectionInputListener.NONE);
    }

    /** As {@link #forward(float[], int, int, RotaryEmbedding)}, showing every projection input to {@code listener}. */
    public void forward(float[] hidden, int sequences, int seqLen, RotaryEmbedding rope, int layerIndex,
                        ProjectionInputListener listener) {
        if (linalg instanceof DeviceLayers device && device.forward(this, hidden, sequences, seqLen, rope, layerIndex, listener)) {
            return; // the whole layer ran where the backend computes
        }
        int rows = sequences * seqLen;
        int width = config.hiddenSize();
        float[] normed = Activations.rmsNorm(hidden, rows, width, inputNorm, config.rmsNormEps());
        INDArray x = NdArrays.fromFloats(normed, rows, width);
        listener.onInput(layerIndex, ProjectionInput.ATTENTION_INPUT, x);
        float[] q = project(ProjectionKind.Q, x);
        float[] k = project(ProjectionKind.K, x);
        float[] v = project(ProjectionKind.V, x);
        if (queryNorm != null) {
            // a row of q is heads x headDim contiguous floats, so the per-head norm is a norm over rows*heads rows
            q = Activations.rmsNorm(q, rows * config.numHeads(), config.headDim(), queryNorm, config.rmsNormEps());
            k = Activations.rmsNorm(k, rows * config.numKvHeads(), config.headDim(), keyNorm, config.rmsNormEps());
        }
        rope.apply(q, rows, seqLen, config.numHeads());
        rope.apply(k, rows, seqLen, config.numKvHeads());
        float[] attention = attend(q, k, v, sequences, seqLen);
        INDArray attentionOutput = NdArrays.fromFloats(attention, rows, config.qDim());
        listener.onInput(layerIndex, ProjectionInput.ATTENTION_OUTPUT, attentionOutput);
        float[] attnOut = project(ProjectionKind.O, attentionOutput);
        Activations.addInPlace(hidden, attnOut);

        float[] normed2 = Activations.rmsNorm(hidden, rows, width, postAttentionNorm, config.rmsNormEps());
        INDArray x2 = NdArrays.fromFloats(normed2, rows, width);
        listener.onInput(layerIndex, ProjectionInput.MLP_INPUT, x2);
        float[] gate = project(ProjectionKind.GATE, x2);
        float[] up = project(ProjectionKind.UP, x2);
        Activations.siluTimesInPlace(gate, up);
        INDArray mlpHidden = NdArrays.fromFloats(gate, rows, config.intermediateSize());
        listener.onInput(layerIndex, ProjectionInput.MLP_HIDDEN, mlpHidden);
        float[] down = project(ProjectionKind.DOWN, mlpHidden);
        Activations.addInPlace(hidden, down);
        // the listener's contract: the activations are valid only during its call
        x.close();
        attentionOutput.close();
        x2.close();
        mlpHidden.close();
    }

    private float[] project(ProjectionKind kind, INDArray x) {
        INDArray y = projections.get(kind).forward(x);
        return y == x ? NdArrays.toFloats(y) : copyAndClose(y);
    }

    /**
     * The elements of a temporary off-heap array, which is then freed. Every forward pass allocates such arrays
     * (projection outputs, attention scores); left to the garbage collector, whose heap sees little of them, they
     * piled up off-heap batch after batch (docs/BENCHMARKS.md, "Evaluation memory").
     */
    private static float[] copyAndClose(INDArray temporary) {
        try {
            return NdArrays.toFloats(temporary);
        } finally {
            temporary.close();
        }
    }

    /**
     * Causal attention per sequence and key/value head. The query heads that share a key/value head
     * (grouped-query attention: query head h reads kv head h / (heads / kvHeads)) are stacked into one
     * [group * seqLen, headDim] block, so each group costs two matrix products instead of two per head.
     */
    private float[] attend(float[] q, float[] k, float[] v, int sequences, int seqLen) {
        int headDim = config.headDim();
        int groupSize = config.numHeads() / config.numKvHeads();
        int qWidth = config.qDim();
        int kvWidth = config.kvDim();
        float scale = (float) (1.0 / Math.sqrt(headDim));
        float[] out = new float[sequences * seqLen * qWidth];
        for (int s = 0; s < sequences; s++) {
            int rowBase = s * seqLen;
            for (int kvHead = 0; kvHead < config.numKvHeads(); kvHead++) {
                INDArray keys = headSlice(k, rowBase, seqLen, kvWidth, kvHead * headDim, 1, headDim);
                INDArray values = headSlice(v, rowBase, seqLen, kvWidth, kvHead * headDim, 1, headDim);
                int firstHead = kvHead * groupSize;
                INDArray queries = headSlice(q, rowBase, seqLen, qWidth, firstHead * headDim, groupSize, headDim);
                float[] scores = copyAndClose(linalg.matmul(queries, false, keys, true));
                Activations.causalSoftmaxInPlace(scores, groupSize * seqLen, seqLen, scale);
                INDArray probs = NdArrays.fromFloats(scores, (long) groupSize * seqLen, seqLen);
                float[] context = copyAndClose(linalg.matmul(probs, false, values, false));
                // [group * seqLen, seqLen] per head group: free it now, not when the garbage collector gets to it
                probs.close();
                queries.close();
                keys.close();
                values.close();
                for (int g = 0; g < groupSize; g++) {
                    int column = (firstHead + g) * headDim;
                    for (int t = 0; t < seqLen; t++) {
                        System.arraycopy(context, (g * seqLen + t) * headDim, out, (rowBase + t) * qWidth + column, headDim);
                    }
                }
            }
        }
        return out;
    }

    /** {@code heads} consecutive heads from column {@code colOffset}, stacked head after head: [heads * rows, cols]. */
    private static INDArray headSlice(float[] src, int rowBase, int rows, int rowWidth, int colOffset, int heads, int cols) {
        float[] slice = new float[heads * rows * cols];
        for (int h = 0; h < heads; h++) {
            for (int t = 0; t < rows; t++) {
                System.arraycopy(src, (rowBase + t) * rowWidth + colOffset + h * cols, slice, (h * rows + t) * cols, cols);
            }
        }
        return NdArrays.fromFloats(slice, (long) heads * rows, cols);
    }
}
