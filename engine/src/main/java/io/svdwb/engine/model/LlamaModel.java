package io.svdwb.engine.model;

import io.svdwb.engine.linalg.LinearAlgebra;
import io.svdwb.engine.safetensors.TensorStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import io.svdwb.engine.tensor.NdArrays;

/**
 * The LLaMA-family causal language model (llama, mistral, qwen2, qwen3) over a {@link Checkpoint}.
 * Decoder layers are read from the memory-mapped weights when first used; with {@link Residency#STREAM}
 * they are dropped again after each use, so a model larger than the heap runs one layer at a time.
 * Any projection can be replaced (for example by a low-rank {@link Linear}) without touching this code.
 */
public final class LlamaModel {

    /** Whether decoder layers stay in memory once loaded. */
    public enum Residency { KEEP, STREAM }

    private final Checkpoint checkpoint;
    private final ModelConfig config;
    private final LinearAlgebra linalg;
    private final Residency residency;
    private final RotaryEmbedding rope;
    private final DecoderLayer[] residentLayers;
    private final Map<String, Linear> replacements = new HashMap<>();
    /** A streamed layer's released weights, for the next layer's load only (see {@link WeightPool}). */
    private final WeightPool weightPool = new WeightPool(ProjectionKind.values().length);
    private EmbeddingRows embedding;
    private float[] finalNorm;
    /** The output projection where the backend computes: on a GPU, uploaded once, not for every chunk of logits. */
    private io.svdwb.engine.linalg.ResidentMatrix residentHead;

    public LlamaModel(Checkpoint checkpoint, LinearAlgebra linalg, Residency residency) {
        this.checkpoint = checkpoint;
        this.config = checkpoint.config();
        this.linalg = linalg;
        this.residency = residency;
        this.rope = new RotaryEmbedding(config);
        this.residentLayers = new DecoderLayer[config.numLayers()];
    }

    public ModelConfig config() {
        return config;
    }

    public Checkpoint checkpoint() {
        return checkpoint;
    }

    public LinearAlgebra linearAlgebra() {
        return linalg;
    }

    /** Uses {@code replacement} for the projection {@code kind} of {@code layer} from now on. */
    public synchronized void replaceProjection(int layer, ProjectionKind kind, Linear replacement) {
        if (replacement.inFeatures() != kind.inFeatures(config) || replacement.outFeatures() != kind.outFeatures(config)) {
            throw new IllegalArgumentException(kind.moduleName(layer) + " needs " + kind.inFeatures(config) + " -> "
                    + kind.outFeatures(config) + " features, the replacement maps " + replacement.inFeatures() + " -> " + replacement.outFeatures());
        }
        replacements.put(kind.moduleName(layer), replacement);
        residentLayers[layer] = null;
    }

    /** Goes back to the checkpoint's own weights everywhere. */
    public synchronized void clearReplacements() {
        replacements.clear();
        java.util.Arrays.fill(residentLayers, null);
    }

    /** The decoder layer with its current projections (loading it from the checkpoint if needed). */
    public synchronized DecoderLayer layer(int index) {
        DecoderLayer layer = residentLayers[index];
        if (layer == null) {
            layer = loadLayer(index);
            if (residency == Residency.KEEP) {
                residentLayers[index] = layer;
            }
            weightPool.drain(); // what this layer did not reuse is freed: the pool never outlives one load
        }
        return layer;
    }

    private DecoderLayer loadLayer(int index) {
        try {
            TensorStore store = checkpoint.store();
            String prefix = "model.layers." + index + ".";
            Map<ProjectionKind, Linear> projections = new EnumMap<>(ProjectionKind.class);
            for (ProjectionKind kind : ProjectionKind.values()) {
                Linear replacement = replacements.get(kind.moduleName(index));
                projections.put(kind, replacement != null ? replacement : loadStored(store, index, kind));
            }
            boolean qkNorm = config.hasQueryKeyNorm();
            return new DecoderLayer(config,
                    OffHeapTensors.readSmall(store, prefix + "input_layernorm.weight"),
                    OffHeapTensors.readSmall(store, prefix + "post_attention_layernorm.weight"),
                    qkNorm ? OffHeapTensors.readSmall(store, Checkpoint.queryNormName(index)) : null,
                    qkNorm ? OffHeapTensors.readSmall(store, Checkpoint.keyNormName(index)) : null,
                    projections, linalg);
        } catch (IOException e) {
            throw new UncheckedIOException("reading decoder layer " + index + " of " + checkpoint.dir(), e);
        }
    }

    /**
     * The checkpoint's own projection: dense, low-rank where the checkpoint stores it as factors, or
     * column-preserving where it also lists kept input columns.
     */
    private Linear loadStored(TensorStore store, int layer, ProjectionKind kind) throws IOException {
        String module = kind.moduleName(layer);
        if (!checkpoint.factoredRanks().containsKey(module)) {
            return loadDense(store, layer, kind);
        }
        INDArray bias = kind.hasBias(config)
                ? NdArrays.fromFloats(OffHeapTensors.readSmall(store, FactoredTensorNames.aBias(module)), kind.outFeatures(config))
                : null;
        if (checkpoint.int8Modules().contains(module)) {
            return Int8Factors.load(store, module, kind.outFeatures(config), checkpoint.factoredRanks().get(module), kind.inFeatures(config),
                    bias, linalg);
        }
        INDArray a = matrix(store, FactoredTensorNames.aWeight(module));
        INDArray b = matrix(store, FactoredTensorNames.bWeight(module));
        java.util.List<Integer> kept = checkpoint.keptColumns().get(module);
        if (kept == null) {
            return new LowRankLinear(a, b, bias, linalg);
        }
        return new ColumnPreservingLinear(a, b, matrix(store, FactoredTensorNames.cWeight(module)),
                kept.stream().mapToInt(Integer::intValue).toArray(), bias, linalg);
    }

    /**
     * The checkpoint's own projection as a dense weight: as stored, or, where a factored export stores it as factors,
     * their product (A·B, with a column-preserving module's kept columns in place), so that an export's spectra are
     * those of what it stores.
     */
    public DenseLinear loadDense(int layer, ProjectionKind kind) throws IOException {
        if (!checkpoint.factoredRanks().containsKey(kind.moduleName(layer))) {
            return loadDense(checkpoint.store(), layer, kind);
        }
        Linear stored = loadStored(checkpoint.store(), layer, kind);
        if (stored instanceof ColumnPreservingLinear columns) {
            return new DenseLinear(columns.denseWeight(), columns.bias(), linalg);
        }
        LowRankLinear factors = (LowRankLinear) stored;
        return new DenseLinear(linalg.matmul(factors.a(), false, factors.b(), false), factors.bias(), linalg);
    }

    private DenseLinear loadDense(TensorStore store, int layer, ProjectionKind kind) throws IOException {
        INDArray weight = residency == Residency.STREAM
                ? OffHeapTensors.read(store, kind.weightName(layer), weightPool)
                : matrix(store, kind.weightName(layer));
        return new DenseLinear(weight, loadBias(store, layer, kind), linalg);
    }

    /** The checkpoint's bias of a projection, or null when the architecture has none; the weight is not read. */
    public INDArray loadBias(int layer, ProjectionKind kind) throws IOException {
        return loadBias(checkpoint.store(), layer, kind);
    }

    private INDArray loadBias(TensorStore store, int layer, ProjectionKind kind) throws IOException {
        return kind.hasBias(config)
                ? NdArrays.fromFloats(OffHeapTensors.readSmall(store, kind.biasName(layer)), kind.outFeatures(config))
                : null;
    }

    private static INDArray matrix(TensorStore store, String name) throws IOException {
        return OffHeapTensors.read(store, name);
    }

    private synchronized void loadEndpoints() {
        if (embedding != null) {
            return;
        }
        try {
            TensorStore store = checkpoint.store();
            finalNorm = OffHeapTensors.readSmall(store, Checkpoint.FINAL_NORM);
            String head = checkpoint.lmHeadTensor();
            EmbeddingRows rows;
            if (head.equals(Checkpoint.EMBED)) {
                // one copy serves both: the head's product and the embedding's row lookups
                INDArray table = OffHeapTensors.read(store, Checkpoint.EMBED);
                residentHead = linalg.resident(table);
                rows = EmbeddingRows.of(table);
            } else {
                residentHead = linalg.resident(OffHeapTensors.read(store, head));
                rows = EmbeddingRows.stored(store, Checkpoint.EMBED, config.vocabSize(), config.hiddenSize());
            }
            embedding = rows; // last: it marks the endpoints as loaded
        } catch (IOException e) {
            throw new UncheckedIOException("reading embeddings of " + checkpoint.dir(), e);
        }
    }

    /** The residual stream after the embedding: [sequences * seqLen, hiddenSize]. */
    public float[] embed(int[][] sequences) {
        loadEndpoints();
        return embedding.lookUp(sequences, requireRectangular(sequences));
    }

    /** Runs decoder layers {@code from} (inclusive) to {@code to} (exclusive) on the residual stream in place. */
    public void runLayers(float[] hidden, int sequences, int seqLen, int from, int to) {
        runLayers(hidden, sequences, seqLen, from, to, ProjectionInputListener.NONE);
    }

    /** As {@link #runLayers(float[], int, int, int, int)}, showing every projection input to {@code listener}. */
    public void runLayers(float[] hidden, int sequences, int seqLen, int from, int to, ProjectionInputListener listener) {
        config.requireSupportedSequenceLength(seqLen);
        for (int i = from; i < to; i++) {
            DecoderLayer layer = layer(i);
            layer.forward(hidden, sequences, seqLen, rope, i, listener);
            if (residency == Residency.STREAM) {
                releaseLoadedWeights(i, layer);
            }
        }
    }

    /**
     * Runs decoder layer {@code index} on several batches' residual streams in place, reading the layer once for all
     * of them: the step of a layer-major pass (calibration, evaluation), in which a streamed model reads each layer
     * once per pass instead of once per batch. Each batch gets exactly the arithmetic {@link #runLayers} gives it.
     *
     * @param hidden            each batch's residual stream [sequences * seqLen, hiddenSize]; each is read with get, updated
     *                          and given back with set, so the list may keep the streams elsewhere (on disk)
     * @param sequencesPerBatch the number of sequences in each batch
     * @param progress          asked before each batch whether to stop, and advanced by one unit after each batch
     * @param unitsDone         the progress units done before this call
     */
    public void runLayer(int index, java.util.List<float[]> hidden, int[] sequencesPerBatch, int seqLen,
            ProjectionInputListener listener, io.svdwb.engine.progress.ProgressListener progress, long unitsDone) {
        runLayer(index, hidden, sequencesPerBatch, seqLen, listener, progress, unitsDone, ran -> { });
    }

    /**
     * As {@link #runLayer(int, java.util.List, int[], int, ProjectionInputListener, io.svdwb.engine.progress.ProgressListener,
     * long)}, showing the layer as it ran to {@code whileLoaded} after the last batch and before a streamed layer's
     * weights are released: a caller that needs the weights right after the pass (SVD-LLM decomposing each layer as
     * soon as its statistics are complete) uses them instead of reading them again. They must not be kept.
     */
    public void runLayer(int index, java.util.List<float[]> hidden, int[] sequencesPerBatch, int seqLen,
            ProjectionInputListener listener, io.svdwb.engine.progress.ProgressListener progress, long unitsDone,
            java.util.function.Consumer<DecoderLayer> whileLoaded) {
        if (hidden.size() != sequencesPerBatch.length) {
            throw new IllegalArgumentException(hidden.size() + " residual streams for " + sequencesPerBatch.length + " batches");
        }
        config.requireSupportedSequenceLength(seqLen);
        DecoderLayer layer = layer(index);
        try {
            for (int b = 0; b < hidden.size(); b++) {
                progress.throwIfCancelled();
                float[] stream = hidden.get(b);
                layer.forward(stream, sequencesPerBatch[b], seqLen, rope, index, listener);
                hidden.set(b, stream); // a list that keeps its streams elsewhere (on disk) stores the new one
                progress.advanceTo(unitsDone + b + 1);
            }
            whileLoaded.accept(layer);
        } finally {
            if (residency == Residency.STREAM) {
                releaseLoadedWeights(index, layer);
            }
        }
    }

    /** Whether decoder layers are kept once loaded or read again for every pass. */
    public Residency residency() {
        return residency;
    }

    /**
     * As {@link #runLayers(float[], int, int, int, int)}, with {@code substitutes} (module name, e.g.
     * {@code model.layers.3.self_attn.q_proj}, to projection) used instead of the model's own projections
     * for this call only. Nothing is installed: the model's replacements and resident layers stay exactly
     * as they were, so a calibration search can try thousands of candidates without undoing anything.
     *
     * @throws IllegalArgumentException if a substitute has the wrong shape for its module
     */
    public void runLayers(float[] hidden, int sequences, int seqLen, int from, int to, Map<String, Linear> substitutes) {
        config.requireSupportedSequenceLength(seqLen);
        for (int i = from; i < to; i++) {
            DecoderLayer loaded = layer(i);
            Map<ProjectionKind, Linear> swapped = new EnumMap<>(ProjectionKind.class);
            for (ProjectionKind kind : ProjectionKind.values()) {
                Linear substitute = substitutes.get(kind.moduleName(i));
                if (substitute != null) {
                    swapped.put(kind, substitute);
                }
            }
            loaded.withProjections(swapped).forward(hidden, sequences, seqLen, rope, i, ProjectionInputListener.NONE);
            if (residency == Residency.STREAM) {
                // the streamed layer's own dense weights were read for this call; substitutes belong to the caller
                releaseLoadedWeights(i, loaded);
            }
        }
    }

    /**
     * As {@link #runLayer(int, java.util.List, int[], int, ProjectionInputListener, io.svdwb.engine.progress.ProgressListener,
     * long)}, with {@code substitutes} used instead of the model's own projections for this call only (as in
     * {@link #runLayers(float[], int, int, int, int, Map)}): a search's probe runs every window through one layer, read
     * once, before the next.
     */
    public void runLayer(int index, java.util.List<float[]> hidden, int[] sequencesPerBatch, int seqLen,
            Map<String, Linear> substitutes) {
        if (hidden.size() != sequencesPerBatch.length) {
            throw new IllegalArgumentException(hidden.size() + " residual streams for " + sequencesPerBatch.length + " batches");
        }
        config.requireSupportedSequenceLength(seqLen);
        DecoderLayer loaded = layer(index);
        try {
            Map<ProjectionKind, Linear> swapped = new EnumMap<>(ProjectionKind.class);
            for (ProjectionKind kind : ProjectionKind.values()) {
                Linear substitute = substitutes.get(kind.moduleName(index));
                if (substitute != null) {
                    swapped.put(kind, substitute);
                }
            }
            DecoderLayer layer = loaded.withProjections(swapped);
            for (int b = 0; b < hidden.size(); b++) {
                float[] stream = hidden.get(b);
                layer.forward(stream, sequencesPerBatch[b], seqLen, rope, index, ProjectionInputListener.NONE);
                hidden.set(b, stream);
            }
        } finally {
            if (residency == Residency.STREAM) {
                releaseLoadedWeights(index, loaded);
            }
        }
    }

    /**
     * Gives back what {@link #loadLayer} read for a streamed layer, for the next layer's load (the last layer's is
     * freed: its pass is over); replacements belong to the caller and stay.
     */
    private synchronized void releaseLoadedWeights(int index, DecoderLayer layer) {
        boolean passContinues = index + 1 < config.numLayers();
        for (ProjectionKind kind : ProjectionKind.values()) {
            if (!replacements.containsKey(kind.moduleName(index)) && layer.projection(kind) instanceof DenseLinear dense) {
                dense.releaseTo(passContinues ? weightPool : null);
            }
        }
    }

    /**
     * Frees the weights a streamed layer left for the next one: for a pass that stops before the last layer, or that
     * does memory-heavy work before it goes on.
     */
    public void freeReusableWeights() {
        weightPool.drain();
    }

    /** How many released weight arrays wait for the next streamed layer (for tests). */
    int reusableWeightCount() {
        return weightPool.size();
    }

    /** Final norm and output projection: logits [rows, vocab] as a flat row-major array. */
    public float[] logits(float[] hidden, int rows) {
        loadEndpoints();
        float[] normed = Activations.rmsNorm(hidden, rows, config.hiddenSize(), finalNorm, config.rmsNormEps());
        INDArray x = NdArrays.fromFloats(normed, rows, config.hiddenSize());
        INDArray out = linalg.matmul(x, false, residentHead, true);
        try {
            return NdArrays.toFloats(out);
        } finally {
            out.close();
            x.close();
        }
    }

    /**
     * Logits a chunk of {@link #logits(float[], int, int, LogitRows)} holds at most by default, 2^26 floats (256 MB): the
     * rows per chunk are this divided by the vocabulary (at least one row). A batch of 2048 positions stays one chunk up
     * to a vocabulary of 32,768 (LLaMA's 32,000 included), where the product, and so every logit, is exactly the one
     * {@link #logits(float[], int)} computes; beyond it (Qwen's 152k: 441 rows) a chunk's sgemm has another shape and
     * OpenBLAS may round a logit differently in its last bit.
     */
    public static final int LOGIT_CHUNK_FLOATS = 1 << 26;

    /** Rows of logits per chunk for a vocabulary of {@code vocab}: {@link #LOGIT_CHUNK_FLOATS} / vocab, at least 1. */
    public static int defaultLogitChunkRows(int vocab) {
        return Math.max(1, LOGIT_CHUNK_FLOATS / Math.max(1, vocab));
    }

    /** Receives consecutive rows of logits from {@link #logits(float[], int, int, LogitRows)}. */
    @FunctionalInterface
    public interface LogitRows {
        /**
         * Rows {@code firstRow .. firstRow+count-1} of the logits, row-major in {@code logits[0 .. count*vocab)}. The
         * array is reused for the next chunk: read it now, keep nothing of it.
         */
        void accept(float[] logits, int firstRow, int count);
    }

    /**
     * As {@link #logits(float[], int)}, but the output projection runs on {@code chunkRows} rows at a time and each
     * chunk's logits go to {@code consumer} in row order, so [rows, vocab] is never held at once: memory is one
     * chunk's logits (one heap buffer, reused, and one off-heap result, freed after each chunk) instead of rows x vocab
     * floats twice. With {@code chunkRows >= rows} the logits are exactly those of {@link #logits(float[], int)}.
     */
    public void logits(float[] hidden, int rows, int chunkRows, LogitRows consumer) {
        if (chunkRows < 1) {
            throw new IllegalArgumentException("chunkRows must be at least 1, got " + chunkRows);
        }
        loadEndpoints();
        int width = config.hiddenSize();
        int vocab = config.vocabSize();
        float[] normed = Activations.rmsNorm(hidden, rows, width, finalNorm, config.rmsNormEps());
        int perChunk = Math.min(chunkRows, rows);
        float[] buffer = new float[Math.multiplyExact(perChunk, vocab)];
        for (int first = 0; first < rows; first += perChunk) {
            int count = Math.min(perChunk, rows - first);
            INDArray x = NdArrays.fromFloats(java.util.Arrays.copyOfRange(normed, first * width, (first + count) * width),
                    count, width);
            INDArray out = linalg.matmul(x, false, residentHead, true);
            try {
                NdArrays.copyInto(out, buffer);
            } finally {
                // free the off-heap result now rather than when the garbage collector finds it (docs/STACK.md)
                out.close();
                x.close();
            }
            consumer.accept(buffer, first, count);
        }
    }

    /** The whole forward pass: logits [sequences * seqLen, vocab] for equal-length token sequences. */
    public float[] forward(int[][] sequences) {
        int seqLen = requireRectangular(sequences);
        float[] hidden = embed(sequences);
        runLayers(hidden, sequences.length, seqLen, 0, config.numLayers());
        return logits(hidden, sequences.length * seqLen);
    }

    private static int requireRectangular(int[][] sequences) {
        if (sequences.length == 0 || sequences[0].length == 0) {
            throw new IllegalArgumentException("no tokens to run");
        }
        int seqLen = sequences[0].length;
        for (int[] s : sequences) {
            if (s.length != seqLen) {
                throw new IllegalArgumentException("sequences in one batch must have equal length");
            }
        }
        return seqLen;
    }
}
