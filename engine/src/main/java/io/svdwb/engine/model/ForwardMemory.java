package io.svdwb.engine.model;

/**
 * What a forward pass holds in memory, from the configuration alone, so a command can choose between keeping the
 * model and streaming it, size its groups of windows, and refuse a run that cannot fit before it starts. The figures
 * are deliberately generous upper bounds (float32 everywhere, every temporary of a decoder layer counted as live at
 * once); docs/BENCHMARKS.md compares them with measured peaks.
 */
public final class ForwardMemory {

    /** The JVM, its heap headroom, ND4J's and OpenBLAS's native libraries and buffers, measured at rest: ~0.5 GB. */
    public static final long RUNTIME_BYTES = 500_000_000L;

    private ForwardMemory() {
    }

    /** One decoder layer's weights as float32 (projections, biases, norms). */
    public static long layerBytes(ModelConfig c) {
        long parameters = 2L * c.hiddenSize();
        for (ProjectionKind kind : ProjectionKind.values()) {
            parameters += (long) kind.inFeatures(c) * kind.outFeatures(c) + (kind.hasBias(c) ? kind.outFeatures(c) : 0);
        }
        if (c.hasQueryKeyNorm()) {
            parameters += 2L * c.headDim();
        }
        return 4 * parameters;
    }

    /**
     * At most: the embedding rows a run reads on the heap and the output projection off-heap, as float32 (a tied head is
     * the embedding table itself, held once, so this counts it twice).
     */
    public static long endpointBytes(ModelConfig c) {
        return 2 * 4L * c.vocabSize() * c.hiddenSize() + 4L * c.hiddenSize();
    }

    /** Every decoder layer and the endpoints held at once: the resident model. */
    public static long residentModelBytes(ModelConfig c) {
        return (long) c.numLayers() * layerBytes(c) + endpointBytes(c);
    }

    /** One residual stream (the state carried between layers) of {@code tokens} positions. */
    public static long hiddenBytes(ModelConfig c, long tokens) {
        return 4L * tokens * c.hiddenSize();
    }

    /**
     * The temporaries of one decoder layer on a batch of {@code sequences} x {@code seqLen} positions: the normed input
     * and its copy, q, k, v and their heads, the attention output, the MLP's gate, up and hidden (each also as a
     * projection result), and one key/value group's scores.
     */
    public static long layerTemporaryBytes(ModelConfig c, int sequences, int seqLen) {
        long tokens = (long) sequences * seqLen;
        long perToken = 4L * (4L * c.hiddenSize() + 4L * c.qDim() + 4L * c.kvDim() + 4L * c.intermediateSize());
        int group = c.numHeads() / c.numKvHeads();
        long scores = 2 * 4L * group * seqLen * (long) seqLen;
        return tokens * perToken + scores;
    }

    /** One chunk of logits, as {@link LlamaModel#logits(float[], int, int, LlamaModel.LogitRows)} holds it (twice). */
    public static long logitChunkBytes(ModelConfig c) {
        return 2 * 4L * LlamaModel.LOGIT_CHUNK_FLOATS;
    }

    /**
     * A pass with the model streamed (one layer at a time) or resident, over {@code groupTokens} positions whose
     * residual streams are held together, run {@code sequences} x {@code seqLen} at a time.
     */
    public static long passBytes(ModelConfig c, boolean streamed, long groupTokens, int sequences, int seqLen) {
        long weights = streamed ? layerBytes(c) + endpointBytes(c) : residentModelBytes(c);
        return RUNTIME_BYTES + weights + hiddenBytes(c, groupTokens) + layerTemporaryBytes(c, sequences, seqLen)
                + logitChunkBytes(c);
    }

    /**
     * Keep the model when its float32 weights take at most half the budget [OURS], else stream it: the other half is
     * for activations, statistics and decompositions.
     */
    public static LlamaModel.Residency residencyFor(ModelConfig c, long budgetBytes) {
        return residentModelBytes(c) <= budgetBytes / 2 ? LlamaModel.Residency.KEEP : LlamaModel.Residency.STREAM;
    }

    /**
     * Positions whose residual streams a layer-major pass may hold together within {@code budgetBytes}: half of what
     * the weights, one batch's temporaries and the runtime leave [OURS], at least one batch, at most {@code totalTokens}.
     */
    public static long groupTokens(ModelConfig c, boolean streamed, long budgetBytes, int sequences, int seqLen,
            long totalTokens) {
        long batchTokens = (long) sequences * seqLen;
        long free = budgetBytes - passBytes(c, streamed, 0, sequences, seqLen);
        long fit = Math.max(0, free / 2) / hiddenBytes(c, 1);
        return Math.max(batchTokens, Math.min(fit, Math.max(batchTokens, totalTokens)));
    }

    /**
     * A layer-major calibration pass (streamed model): one layer, every window's residual stream, one batch's
     * temporaries and its double copy for the Gram, and the layer's four Gram matrices in double.
     */
    public static long calibrationBytes(ModelConfig c, int windows, int length, int windowsPerBatch) {
        return calibrationBytes(c, windows, length, windowsPerBatch, false);
    }

    /**
     * As {@link #calibrationBytes(ModelConfig, int, int, int)}, with the residual streams on disk when
     * {@code streamsOnDisk}: then only the batch being run and the one before it (not yet collected) are in memory.
     */
    public static long calibrationBytes(ModelConfig c, int windows, int length, int windowsPerBatch, boolean streamsOnDisk) {
        long batchTokens = (long) windowsPerBatch * length;
        long grams = 8L * (2L * c.hiddenSize() * c.hiddenSize() + (long) c.qDim() * c.qDim()
                + (long) c.intermediateSize() * c.intermediateSize());
        long doubleBlock = 8L * batchTokens * Math.max(c.intermediateSize(), Math.max(c.hiddenSize(), c.qDim()));
        long streams = streamsOnDisk ? 2 * hiddenBytes(c, batchTokens) : hiddenBytes(c, (long) windows * length);
        return RUNTIME_BYTES + layerBytes(c) + endpointBytes(c) + streams
                + layerTemporaryBytes(c, windowsPerBatch, length) + grams + doubleBlock;
    }

    /** The most windows per forward pass, at most {@code preferred}, whose calibration fits {@code budgetBytes}; 1 if none does. */
    public static int calibrationBatch(ModelConfig c, int windows, int length, int preferred, long budgetBytes) {
        return calibrationBatch(c, windows, length, preferred, budgetBytes, false);
    }

    /** As {@link #calibrationBatch(ModelConfig, int, int, int, long)}, with the streams on disk when {@code streamsOnDisk}. */
    public static int calibrationBatch(ModelConfig c, int windows, int length, int preferred, long budgetBytes, boolean streamsOnDisk) {
        for (int b = Math.max(1, preferred); b > 1; b /= 2) {
            if (calibrationBytes(c, windows, length, b, streamsOnDisk) <= budgetBytes) {
                return b;
            }
        }
        return 1;
    }

    /**
     * SoCo's training, at least: the teacher keeps every layer in float32 ({@link #residentModelBytes}) and the student
     * holds the whole model again in double (each projection as factors up to its break-even rank, which take at most
     * the dense matrix's m·n values, or dense; the embedding, norms and lm_head), twice that. Its saved activations for
     * the backward pass come on top.
     */
    public static long socoTrainingBytes(ModelConfig c) {
        return RUNTIME_BYTES + 3 * residentModelBytes(c);
    }
}
