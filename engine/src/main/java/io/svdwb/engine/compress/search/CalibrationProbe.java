package io.svdwb.engine.compress.search;

import io.svdwb.engine.eval.TokenLogProbabilities;
import io.svdwb.engine.model.Linear;
import io.svdwb.engine.model.LlamaModel;
import io.svdwb.engine.model.MatrixSpec;
import io.svdwb.engine.progress.ProgressListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Measures how much candidate replacements hurt the model on calibration windows: the mean next-token
 * NLL (calibration perplexity = exp(NLL); docs/METHODS.md §4.3 step 1, §4.7) and the per-window KLsum against
 * the uncompressed teacher, averaged over windows (§4.6 step 2).
 *
 * <p>Why caches: a search probes hundreds of candidates that each change one module (or the last few
 * layers). The residual stream at the input of every decoder layer under the current base is kept, so a
 * probe whose earliest change is in layer l runs only layers l..L-1. This is exact, not an approximation:
 * the layers before l compute exactly what they computed when the cache was filled.
 *
 * <p>The model is never modified: the base and the overrides reach it as per-call substitutes
 * ({@link LlamaModel#runLayers(float[], int, int, int, int, Map)}). The teacher is the model as handed
 * over (normally without replacements); do not install replacements in it while a probe is open.
 * Replacements are named by module, {@code ProjectionKind.moduleName(layer)}. Not thread-safe.
 */
public final class CalibrationProbe implements AutoCloseable {

    /** Default cap on the caches; a LLaMA-7B with the spec's 32 x 2048 windows needs far more and is refused. */
    public static final long DEFAULT_MEMORY_LIMIT_BYTES = 2L << 30;

    /**
     * As an override value: this module uses the teacher's own projection, whatever the base holds
     * (Duo-SVD's p = 1.0, "dense original").
     */
    public static final Linear ORIGINAL = new OriginalMarker();

    /** Whether the teacher's log-probabilities are kept (needed for KL only; they cost tokens x vocab floats). */
    public enum Measures { NLL_ONLY, NLL_AND_KL }

    /** One probe's result: mean next-token NLL and mean per-window KLsum (NaN when KL is not measured). */
    public record Score(double meanNll, double meanKlSum) {
        public double perplexity() {
            return Math.exp(meanNll);
        }
    }

    private final LlamaModel model;
    private final int[][] windows;
    private final int seqLen;
    private final int batchSize;
    private final int layers;
    private final int vocab;
    private final Map<String, MatrixSpec> modules = new HashMap<>();
    /** The current user's listener: a probe outlives the job that built it (it is memoised per context). */
    private volatile ProgressListener progress;
    private final ProbeFootprint footprint;
    /** [layer 0..L][batch]: residual stream entering each layer (index L: after the last) under the base. */
    private float[][][] layerInputs;
    /** [batch]: teacher log-probabilities, rows x vocab; null for {@link Measures#NLL_ONLY}. */
    private float[][] teacherLogProbs;
    private Map<String, Linear> base = Map.of();

    /**
     * Reports to (and takes cancellation from) {@code listener} from now on. A memoised probe keeps serving later
     * searches, so each use must install its own job's listener, or a search would see the builder's, which may have
     * been cancelled long ago.
     */
    public void reportTo(ProgressListener listener) {
        this.progress = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** NLL and KL, default memory limit. */
    public CalibrationProbe(LlamaModel model, int[][] windows, int batchSize, ProgressListener progress) {
        this(model, windows, batchSize, Measures.NLL_AND_KL, DEFAULT_MEMORY_LIMIT_BYTES, progress);
    }

    /**
     * Runs the teacher once over {@code windows} and fills the caches.
     *
     * @param windows   equal-length token windows (BOS first where the model expects one)
     * @param batchSize windows run together in one forward pass
     * @throws ProbeMemoryLimitException if the caches would exceed {@code memoryLimitBytes}
     */
    public CalibrationProbe(LlamaModel model, int[][] windows, int batchSize, Measures measures, long memoryLimitBytes,
                            ProgressListener progress) {
        this.model = model;
        this.windows = requireWindows(windows, model.config().maxPositionEmbeddings());
        this.seqLen = windows[0].length;
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.batchSize = Math.min(batchSize, windows.length);
        this.layers = model.config().numLayers();
        this.vocab = model.config().vocabSize();
        this.progress = progress;
        for (MatrixSpec m : MatrixSpec.all(model.config())) {
            modules.put(m.kind().moduleName(m.layer()), m);
        }
        boolean keepTeacher = measures == Measures.NLL_AND_KL;
        this.footprint = ProbeFootprint.of(model.config(), windows.length, seqLen, keepTeacher);
        requireFits(memoryLimitBytes);
        this.layerInputs = new float[layers + 1][batches()][];
        progress.begin("calibration probe: reference pass over " + windows.length + " windows", windows.length);
        fillLayerInputs(0);
        if (keepTeacher) {
            teacherLogProbs = new float[batches()][];
            for (int b = 0; b < batches(); b++) {
                float[] logits = model.logits(layerInputs[layers][b], rows(b));
                teacherLogProbs[b] = logSoftmax(logits, rows(b));
            }
        }
        progress.end();
    }

    /** Bytes held by the caches (see {@link ProbeFootprint}); 0 once closed. */
    public long bytesHeld() {
        return layerInputs == null ? 0 : footprint.totalBytes();
    }

    public ProbeFootprint footprint() {
        return footprint;
    }

    public int windowCount() {
        return windows.length;
    }

    /** Whether this probe kept the teacher's log-probabilities, i.e. can measure KL. */
    public boolean measuresKl() {
        return teacherLogProbs != null;
    }

    public Map<String, Linear> base() {
        return base;
    }

    /**
     * Makes {@code replacements} the state every probe starts from (Duo-SVD: every module at rank k(rho0);
     * ASVD, ResSVD: none) and refreshes the cached layer inputs from the first layer whose base changed.
     */
    public void setBase(Map<String, Linear> replacements) {
        requireOpen();
        Map<String, Linear> next = new LinkedHashMap<>();
        for (Map.Entry<String, Linear> e : replacements.entrySet()) {
            requireModule(e.getKey());
            if (e.getValue() == null || e.getValue() == ORIGINAL) {
                throw new IllegalArgumentException("the base needs a real replacement for " + e.getKey()
                        + "; leave a module out of the base to keep it original");
            }
            next.put(e.getKey(), e.getValue());
        }
        int from = layers;
        for (String name : union(base, next)) {
            if (base.get(name) != next.get(name)) {
                from = Math.min(from, modules.get(name).layer());
            }
        }
        base = Map.copyOf(next);
        if (from < layers) {
            progress.begin("calibration probe: layer inputs under the base, from layer " + from, windows.length);
            fillLayerInputs(from);
            progress.end();
        }
    }

    /** Mean next-token NLL of base + overrides over positions 0..T-2 of every window. */
    public double meanNll(Map<String, Linear> overrides) {
        return measure(overrides, false).meanNll();
    }

    /** Mean over windows of KLsum(teacher || base + overrides), summed over every position and the vocabulary. */
    public double meanKlSum(Map<String, Linear> overrides) {
        return measure(overrides, true).meanKlSum();
    }

    /** Both measures from one pass; KL is NaN for {@link Measures#NLL_ONLY}. */
    public Score measure(Map<String, Linear> overrides) {
        return measure(overrides, teacherLogProbs != null);
    }

    private Score measure(Map<String, Linear> overrides, boolean withKl) {
        requireOpen();
        if (withKl && teacherLogProbs == null) {
            throw new IllegalStateException("this probe was built for NLL only; build it with Measures.NLL_AND_KL for KL");
        }
        Map<String, Linear> substitutes = new HashMap<>(base);
        int from = layers;
        for (Map.Entry<String, Linear> e : overrides.entrySet()) {
            MatrixSpec spec = requireModule(e.getKey());
            Linear value = Objects.requireNonNull(e.getValue(), () -> "override for " + e.getKey() + " is null");
            from = Math.min(from, spec.layer());
            if (value == ORIGINAL) {
                substitutes.remove(e.getKey());
            } else {
                substitutes.put(e.getKey(), value);
            }
        }
        // [nll, kl], summed in position order whatever the chunk of logits
        double[] sums = new double[2];
        int chunkRows = LlamaModel.defaultLogitChunkRows(vocab);
        // layer-major: every batch goes through a layer, which a streamed model reads once, before the next layer
        List<float[]> streams = new ArrayList<>(batches());
        for (int b = 0; b < batches(); b++) {
            streams.add(layerInputs[from][b].clone());
        }
        for (int i = from; i < layers; i++) {
            progress.throwIfCancelled();
            model.runLayer(i, streams, batchSizes(), seqLen, substitutes);
        }
        for (int b = 0; b < batches(); b++) {
            progress.throwIfCancelled();
            float[] hidden = streams.get(b);
            int first = b * batchSize;
            float[] teacher = withKl ? teacherLogProbs[b] : null;
            model.logits(hidden, rows(b), chunkRows, (logits, firstRow, chunk) -> {
                for (int r = 0; r < chunk; r++) {
                    int row = firstRow + r;
                    int s = row / seqLen;
                    int t = row % seqLen;
                    double logSum = TokenLogProbabilities.logSumExp(logits, r * vocab, vocab);
                    if (t < seqLen - 1) {
                        sums[0] += logSum - logits[r * vocab + windows[first + s][t + 1]];
                    }
                    if (teacher != null) {
                        sums[1] += klRow(teacher, row * vocab, logits, r * vocab, logSum);
                    }
                }
            });
        }
        double nll = sums[0];
        double kl = sums[1];
        return new Score(nll / ((double) windows.length * (seqLen - 1)), withKl ? kl / windows.length : Double.NaN);
    }

    /**
     * sum_v P0 (log P0 - log P) for one position. The student's log-probabilities are rounded to float
     * exactly as the teacher's were, so identical logits give exactly 0 rather than rounding noise.
     */
    private double klRow(float[] teacher, int teacherOffset, float[] logits, int offset, double logSum) {
        double sum = 0;
        for (int v = 0; v < vocab; v++) {
            float teacherLog = teacher[teacherOffset + v];
            float studentLog = (float) (logits[offset + v] - logSum);
            sum += Math.exp(teacherLog) * ((double) teacherLog - studentLog);
        }
        return sum;
    }

    private float[] logSoftmax(float[] logits, int rows) {
        float[] out = new float[logits.length];
        for (int r = 0; r < rows; r++) {
            double logSum = TokenLogProbabilities.logSumExp(logits, r * vocab, vocab);
            for (int v = 0; v < vocab; v++) {
                out[r * vocab + v] = (float) (logits[r * vocab + v] - logSum);
            }
        }
        return out;
    }

    /** Recomputes layerInputs[from + 1 ..] for every batch, layer by layer; layerInputs[0] is the embedding. */
    private void fillLayerInputs(int from) {
        List<float[]> streams = new ArrayList<>(batches());
        for (int b = 0; b < batches(); b++) {
            progress.throwIfCancelled();
            if (from == 0) {
                int[][] batch = Arrays.copyOfRange(windows, b * batchSize, b * batchSize + count(b));
                layerInputs[0][b] = model.embed(batch);
            }
            streams.add(layerInputs[from][b].clone());
        }
        for (int i = from; i < layers; i++) {
            progress.throwIfCancelled();
            model.runLayer(i, streams, batchSizes(), seqLen, base);
            for (int b = 0; b < batches(); b++) {
                layerInputs[i + 1][b] = streams.get(b).clone();
            }
            // progress in windows, as the phase was begun: the share of the layers done so far
            progress.advanceTo((long) windows.length * (i + 1 - from) / (layers - from));
        }
    }

    private int[] batchSizes() {
        int[] sizes = new int[batches()];
        for (int b = 0; b < sizes.length; b++) {
            sizes[b] = count(b);
        }
        return sizes;
    }

    private void requireFits(long limit) {
        if (footprint.totalBytes() > limit) {
            throw new ProbeMemoryLimitException("the calibration probe would hold " + footprint.describe() + " for "
                    + windows.length + " windows x " + seqLen + " tokens on a " + layers + "-layer model, more than its limit of "
                    + ProbeFootprint.gib(limit) + "; use fewer or shorter calibration windows, or raise the limit",
                    footprint.totalBytes(), limit);
        }
        long perBatch = (long) batchSize * seqLen * Math.max(vocab, model.config().intermediateSize());
        if (perBatch > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a batch of " + batchSize + " windows x " + seqLen + " tokens does not fit "
                    + "one Java array of logits; use a smaller batch");
        }
    }

    private MatrixSpec requireModule(String name) {
        MatrixSpec spec = modules.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("'" + name + "' is not a projection of this model (expected e.g. "
                    + "model.layers.0.self_attn.q_proj)");
        }
        return spec;
    }

    private void requireOpen() {
        if (layerInputs == null) {
            throw new IllegalStateException("the calibration probe is closed");
        }
    }

    private static java.util.Set<String> union(Map<String, ?> a, Map<String, ?> b) {
        java.util.Set<String> names = new java.util.HashSet<>(a.keySet());
        names.addAll(b.keySet());
        return names;
    }

    private static int[][] requireWindows(int[][] windows, int maxPositions) {
        if (windows.length == 0) {
            throw new IllegalArgumentException("no calibration windows");
        }
        int length = windows[0].length;
        if (length < 2) {
            throw new IllegalArgumentException("calibration windows need at least 2 tokens, got " + length);
        }
        if (length > maxPositions) {
            throw new IllegalArgumentException("calibration windows of " + length + " tokens exceed the model's "
                    + "max_position_embeddings " + maxPositions);
        }
        for (int[] w : windows) {
            if (w.length != length) {
                throw new IllegalArgumentException("calibration windows must have equal length");
            }
        }
        return windows.clone();
    }

    private int batches() {
        return (windows.length + batchSize - 1) / batchSize;
    }

    private int count(int batch) {
        return Math.min(batchSize, windows.length - batch * batchSize);
    }

    private int rows(int batch) {
        return count(batch) * seqLen;
    }

    /** Drops the caches; the probe can no longer be used. */
    @Override
    public void close() {
        layerInputs = null;
        teacherLogProbs = null;
    }

    /** The {@link #ORIGINAL} marker: never run, only compared by identity. */
    private static final class OriginalMarker implements Linear {
        @Override
        public org.nd4j.linalg.api.ndarray.INDArray forward(org.nd4j.linalg.api.ndarray.INDArray x) {
            throw new UnsupportedOperationException("CalibrationProbe.ORIGINAL only marks an override");
        }

        @Override
        public int inFeatures() {
            throw new UnsupportedOperationException("CalibrationProbe.ORIGINAL only marks an override");
        }

        @Override
        public int outFeatures() {
            throw new UnsupportedOperationException("CalibrationProbe.ORIGINAL only marks an override");
        }

        @Override
        public long storedWeightParameters() {
            throw new UnsupportedOperationException("CalibrationProbe.ORIGINAL only marks an override");
        }
    }
}
